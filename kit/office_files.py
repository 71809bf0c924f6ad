"""Office files (Word, PowerPoint, Excel: zip packages of XML parts) checked before any library parses them.

A .docx of 8 KB can unpack to megabytes of XML that python-docx then builds element by element (minutes of
CPU, gigabytes of memory); an XML part can declare a DOCTYPE whose entities expand a billion times or read
/etc/passwd. So before a part is parsed, the package is read here as plain bytes, part by part, with caps on
what is unpacked, and refused with a sentence the person can act on:
- a damaged zip, entries that overlap or repeat, more parts than any real document has;
- more unpacked bytes than a document of the kind holds (counted while unpacking, not taken from the headers);
- a DOCTYPE or an entity declaration in any XML part (Office never writes one);
- more XML elements than a document of the kind holds.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

CHUNK = 256 * 1024


@dataclass(frozen=True)
class Limits:
    max_parts: int = 1000
    max_unpacked_bytes: int = 50 * 1024 * 1024
    max_elements: int = 1_000_000


class PackageRefused(Exception):
    """The package cannot be read safely; `reason` is a plain sentence about the file."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def check_package(data: bytes | io.IOBase, *, kind: str, required_part: str, limits: Limits = Limits()) -> None:
    """Refuse a package that is not a `kind` file (no `required_part`), or would be costly or unsafe to parse."""
    handle = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        handle.seek(0)
        if not zipfile.is_zipfile(handle):
            raise PackageRefused(f"it is not a {kind} file (it is not the zip package such files are)")
        handle.seek(0)
        with zipfile.ZipFile(handle) as package:
            parts = package.infolist()
            if len(parts) > limits.max_parts:
                raise PackageRefused(f"it holds {len(parts):,} parts; a {kind} file has far fewer")
            names = [part.filename for part in parts]
            if len(set(names)) != len(names):
                raise PackageRefused("it holds the same part twice (a damaged or crafted package)")
            if required_part not in names:
                raise PackageRefused(f"it is a zip file but not a {kind} file (it has no {required_part})")
            declared = sum(part.file_size for part in parts)
            if declared > limits.max_unpacked_bytes:
                raise PackageRefused(_too_big(declared, limits))
            _scan_parts(package, parts, limits)
    except PackageRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise PackageRefused(f"it is damaged ({error})") from None
    finally:
        handle.seek(0)


def _too_big(size: int, limits: Limits) -> str:
    return f"it unpacks to {size / 2**20:,.0f} MB or more; more than {limits.max_unpacked_bytes // 2**20} MB is refused"


def _scan_parts(package: zipfile.ZipFile, parts: list[zipfile.ZipInfo], limits: Limits) -> None:
    unpacked = 0
    elements = 0
    for part in parts:
        is_xml = part.filename.endswith((".xml", ".rels", ".vml"))
        tail = b""
        with package.open(part) as stream:
            while chunk := stream.read(CHUNK):
                unpacked += len(chunk)
                if unpacked > limits.max_unpacked_bytes:
                    raise PackageRefused(_too_big(unpacked, limits))
                if not is_xml:
                    continue
                window = (tail + chunk).upper()
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    raise PackageRefused(
                        f"its part {part.filename} declares a DOCTYPE or entities, which Office never writes "
                        "(such declarations can expand without end or read files of the server)"
                    )
                # Every element opens with "<" followed by a name; closing tags and declarations are not counted.
                elements += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?") - chunk.count(b"<!")
                if elements > limits.max_elements:
                    raise PackageRefused(
                        f"it holds more than {limits.max_elements:,} XML elements; "
                        "a document of this kind has far fewer"
                    )
                tail = chunk[-16:]
