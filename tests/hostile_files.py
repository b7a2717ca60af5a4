"""Hostile files for the output side of quizgen: previous packages, answer keys and scans an attacker controls.

Shared by the tests and bench/attacks.py (which measures each attack's time and peak memory). Every file is
small on disk; what it would cost to decode is the attack.
"""
from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import struct
import zipfile
import zlib
from pathlib import Path


def zip_bomb(path: Path, gib: float = 4.0) -> Path:
    """An .apkg whose collection.anki2 inflates to `gib` GiB of zeros (about 4 MB on disk per GiB)."""
    chunk = b"\0" * (1 << 24)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("collection.anki2", "w", force_zip64=True) as entry:
            for _ in range(int(gib * 64)):
                entry.write(chunk)
        archive.writestr("media", "{}")
    return path


def lying_zip_bomb(path: Path, mib: int = 300) -> Path:
    """A zip bomb whose headers claim the collection is 1,000 bytes: only counting while inflating stops it."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("collection.anki2", "w") as entry:
            for _ in range(mib):
                entry.write(chunk)
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):   # uncompressed size -> 1000
        at = data.find(signature)
        data[at + offset:at + offset + 4] = struct.pack("<I", 1000)
    path.write_bytes(bytes(data))
    return path


def _apkg_with_db(path: Path, build) -> Path:
    """An .apkg around an SQLite file that `build(db)` fills."""
    db_path = path.with_suffix(".build.sqlite")
    db_path.unlink(missing_ok=True)
    db = sqlite3.connect(db_path)
    build(db)
    db.commit()
    db.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(db_path, "collection.anki2")
        archive.writestr("media", "{}")
    db_path.unlink()
    return path


def recursive_view(path: Path) -> Path:
    """An .apkg whose `notes` is a view over an endless recursive query of ever longer rows."""
    def build(db):
        db.execute("CREATE TABLE col (models TEXT)")
        db.execute("INSERT INTO col VALUES ('{}')")
        db.execute("CREATE VIEW notes AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                   "SELECT 'g' || n AS guid, n AS mod, 1 AS mid, printf('%.*c', 1000, 'x') AS flds, '' AS tags "
                   "FROM r")
    return _apkg_with_db(path, build)


def malformed_packages(folder: Path) -> dict[str, Path]:
    """Six kinds of broken previous package, by name."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}

    made["not a zip"] = folder / "notzip.apkg"
    made["not a zip"].write_bytes(b"PK\x03\x04 this is not really a zip file" * 10)

    truncated = io.BytesIO()
    with zipfile.ZipFile(truncated, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", b"SQLite format 3\0" + bytes(4000))
    made["truncated zip"] = folder / "truncated.apkg"
    made["truncated zip"].write_bytes(truncated.getvalue()[:-30])

    made["no collection"] = folder / "nocollection.apkg"
    with zipfile.ZipFile(made["no collection"], "w") as archive:
        archive.writestr("media", "{}")

    made["collection not SQLite"] = folder / "notsqlite.apkg"
    with zipfile.ZipFile(made["collection not SQLite"], "w") as archive:
        archive.writestr("collection.anki2", b"hello" * 1000)

    made["unsupported compression"] = folder / "method99.apkg"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("collection.anki2", b"x" * 100)
    data = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):   # compression method -> 99
        at = data.find(signature)
        data[at + offset:at + offset + 2] = struct.pack("<H", 99)
    made["unsupported compression"].write_bytes(bytes(data))

    def odd_columns(db):
        db.execute("CREATE TABLE col (models TEXT)")
        db.execute("INSERT INTO col VALUES ('[1, 2, {\"mod\": \"soon\"}]')")
        db.execute("CREATE TABLE notes (guid, mod, mid, flds, tags)")
        db.execute("INSERT INTO notes VALUES (x'00ff', 'yesterday', NULL, 5, 3.5)")
    made["wrong types in the collection"] = _apkg_with_db(folder / "oddcolumns.apkg", odd_columns)
    return made


def png(path: Path, width: int, height: int) -> Path:
    """A white grayscale PNG of any size, written row by row (a 40000 x 40000 one is about 1.6 MB)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer = zlib.compressobj(9)
    row = b"\0" + b"\xff" * width
    parts = [packer.compress(row) for _ in range(height)]
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(parts))
                     + chunk(b"IEND", b""))
    return path


def bmp(path: Path, width: int, height: int) -> Path:
    """A white 8-bit BMP: no header cap of quizgen's knows it, so OpenCV's own pixel cap must refuse it."""
    offset = 14 + 40 + 1024
    with open(path, "wb") as out:
        out.write(b"BM" + struct.pack("<IHHI", offset + width * height, 0, 0, offset))
        out.write(struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 0, width * height, 2835, 2835, 256, 0))
        out.write(b"".join(bytes([i, i, i, 0]) for i in range(256)))
        row = b"\xff" * width
        for _ in range(height):
            out.write(row)
    return path


def huge_page_pdf(path: Path, side: float = 14400, user_unit: float = 1) -> Path:
    """A PDF of one blank page `side` points square (14400 is the PDF maximum: 200 inches)."""
    unit = f" /UserUnit {user_unit:g}" if user_unit != 1 else ""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {side:g} {side:g}]{unit} >>".encode()]
    out = bytearray(b"%PDF-1.6\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def deep_json(path: Path, depth: int = 100_000) -> Path:
    path.write_text("[" * depth + "]" * depth)
    return path


def with_checksum(body: dict) -> bytes:
    """An answer key as an attacker would forge one: any content, with the checksum it needs."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return json.dumps({**body, "checksum": hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:12]}).encode()


def crafted_key(path: Path, **changes) -> Path:
    """A key with a valid checksum whose fields are hostile: by default a 10**6-digit student number."""
    question = {"number": 1, "id": "q", "kind": "multiple_choice", "letters": ["A", "B"], "right": ["A"],
                "answer": ["yes"]}
    body = {"format": "quizgen-answer-key", "format_version": 1, "bank": "b", "title": "t", "seed": 0,
            "paper": "a4", "student_digits": 10 ** 6, "versions": [{"version": "A", "questions": [question]}]}
    body.update(changes)
    path.write_bytes(with_checksum(body))
    return path
