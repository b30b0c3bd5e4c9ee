"""Telegram chats as Telegram Desktop exports them in JSON (``result.json``).

One chat::

    {"name": "Tide Bot", "type": "bot_chat", "id": 1, "messages": [
      {"id": 4, "type": "message", "date": "2025-09-03T06:37:05", "from": "Tide Bot",
       "reply_to_message_id": 3, "text": ["High water is at ", {"type": "bold", "text": "06:12"}]},
      {"id": 5, "type": "service", "actor": "Ada", "action": "pin_message", …}]}

or a whole account, each chat in ``chats.list``. Each chat is a conversation, titled by its name.
The text's formatting (bold, italic, code, links) is written as Markdown; a photo, a file, a
sticker or a voice message is named where it was; a forwarded message says from whom, and a reply
which message it answers; Telegram's own notices (a message pinned, a member added) are notes.
"""

from __future__ import annotations

from generator.readers.common import Turn, code_span, conversation, fenced, in_reply_to
from generator.readers.jsondoc import Record, Shape, dict_of, list_of, text_of, timestamp

NAME = "telegram"
ONE_CONVERSATION = False  # an account's export holds every chat
_CHAT_TYPES = {"personal_chat", "bot_chat", "private_group", "private_supergroup", "public_supergroup",
               "saved_messages", "private_channel", "public_channel"}
_MARKS = {"bold": "**", "italic": "*", "strikethrough": "~~"}
_MEDIA = {"sticker": "sticker", "voice_message": "voice message", "video_message": "video message",
          "video_file": "video", "audio_file": "audio", "animation": "animation"}
_NOT_INCLUDED = "(File not included"  # what the export writes in place of a file it did not save


def claims(first: Record, lines: bool) -> bool:
    value = first.value
    if lines or not isinstance(value, dict):
        return False
    if isinstance(dict_of(value.get("chats")).get("list"), list):
        return True
    return isinstance(value.get("messages"), list) and text_of(value.get("type")) in _CHAT_TYPES


def read(records, source, display):
    found = []
    for record in records:
        shape = Shape(record, display)
        item = shape.object(record.value, record.path)
        chats = list_of(dict_of(item.get("chats")).get("list"))
        places = [(f"{record.path}.chats.list[{index}]", chat) for index, chat in enumerate(chats)] \
            if "messages" not in item else [(record.path, item)]
        for path, chat in places:
            chat = shape.object(chat, path)
            found.append(_chat(shape, path, chat, source))
    return found, []


def _chat(shape: Shape, path: str, chat: dict, source):
    turns: list[Turn] = []
    said: dict = {}  # a message's id -> its number on the page, and its author
    for message_path, message in shape.objects(chat.get("messages", []), f"{path}.messages"):
        turn = _turn(shape, message_path, message, said)
        if turn is not None:
            turns.append(turn)
            if _id(message.get("id")) is not None:
                said[_id(message.get("id"))] = (len(turns), turn.speaker)
    metadata = {"Source format": "Telegram chat export"}
    if text_of(chat.get("type")):
        metadata["Chat type"] = chat["type"].replace("_", " ")
    return conversation(source, turns, title=text_of(chat.get("name")), metadata=metadata)


def _turn(shape: Shape, path: str, message: dict, said: dict) -> Turn | None:
    when = timestamp(message.get("date"))
    line = shape.record.line
    if message.get("type") == "service":
        actor = text_of(message.get("actor")).strip() or "Telegram"
        action = text_of(message.get("action")).replace("_", " ").strip() or "a notice"
        text = " ".join(part for part in (action, _text(shape, message.get("text"), f"{path}.text")) if part.strip())
        pinned = said.get(_id(message.get("message_id")))
        return Turn(actor, f"{text} (#{pinned[0]})" if pinned else text, line, when, "note")
    if message.get("type") not in (None, "message"):
        return None
    speaker = text_of(message.get("from")).strip() or "Deleted Account"
    parts = []
    if text_of(message.get("forwarded_from")).strip():
        parts.append(f"↪ Forwarded from {message['forwarded_from'].strip()}")
    answered = said.get(_id(message.get("reply_to_message_id")))
    if answered is not None:
        parts.append(in_reply_to(answered[1], answered[0]))
    parts += [_media(message), _text(shape, message.get("text"), f"{path}.text")]
    return Turn(speaker, "\n\n".join(part for part in parts if part.strip()), line, when)


def _id(value) -> int | str | None:
    """A message's id as a key: a number or a string, else none."""
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else None


def _text(shape: Shape, value, path: str) -> str:
    """A message's text: a string, or a list of strings and formatted pieces ({'type', 'text'}), as Markdown."""
    if isinstance(value, str) or value is None:
        return shape.text(value, path)
    return "".join(piece if isinstance(piece, str) else _piece(dict_of(piece)) for piece in shape.array(value, path))


def _piece(piece: dict) -> str:
    text, kind = text_of(piece.get("text")), text_of(piece.get("type"))
    core = text.strip()
    if not core:
        return text
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    if kind in _MARKS:
        return f"{lead}{_MARKS[kind]}{core}{_MARKS[kind]}{trail}"
    if kind == "code":
        return f"{lead}{code_span(core)}{trail}"
    if kind == "pre":
        return f"\n\n{fenced(text.strip(chr(10)), text_of(piece.get('language')))}\n\n"
    if kind == "text_link" and text_of(piece.get("href")).startswith(("https://", "http://")):
        return f"{lead}[{core}]({piece['href']}){trail}"
    if kind == "link" and core.startswith(("https://", "http://")) and not any(c in core for c in " <>"):
        return f"{lead}<{core}>{trail}"
    if kind == "blockquote":
        return "\n\n" + "\n".join(f"> {line}" for line in text.split("\n")) + "\n\n"
    return text


def _media(message: dict) -> str:
    """What was sent besides the text, named: '*[photo]*', '*[voice message: 12 s]*', '*[file: notes.pdf]*'."""
    if message.get("photo") is not None:
        return media_named("photo")
    kind = text_of(message.get("media_type"))
    if kind == "sticker":
        return text_of(message.get("sticker_emoji")) or media_named("sticker")
    if kind in _MEDIA:
        seconds = message.get("duration_seconds")
        return media_named(_MEDIA[kind], f"{seconds} s" if isinstance(seconds, int) and not isinstance(seconds, bool) else "")
    if message.get("file") is not None:
        name = text_of(message.get("file_name")).strip()
        if not name:
            file = text_of(message.get("file"))
            name = "" if file.startswith(_NOT_INCLUDED) else file.rsplit("/", 1)[-1]
        return media_named("file", name)
    poll = dict_of(message.get("poll"))
    if text_of(poll.get("question")).strip():
        return poll_text(poll["question"], [text_of(dict_of(answer).get("text")) for answer in list_of(poll.get("answers"))])
    return ""


def media_named(kind: str, detail: str = "") -> str:
    """What was sent, named where the message shows it: '*[photo]*', '*[file: notes.pdf]*'."""
    return f"*[{kind}: {detail}]*" if detail else f"*[{kind}]*"


def poll_text(question: str, answers: list[str]) -> str:
    return "\n".join([f"**Poll:** {question}" if question else "**Poll**"] + [f"- {answer}" for answer in answers if answer])
