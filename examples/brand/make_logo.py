"""Draw the sample agency's logo (logo.png, 600x200) with the standard library only.

A burgundy disc holding a mustard diamond, then the initials "MF" and an underline,
on a transparent background. Each pixel is the average of 3x3 samples, so edges are
smooth. Same script, same bytes: run it again after changing the design.

    python examples/brand/make_logo.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

WIDTH, HEIGHT = 600, 200
SAMPLES = 3  # samples per pixel side
PRIMARY = (0x7A, 0x1F, 0x3D)  # brand.yaml primary_color
ACCENT = (0xE0, 0xA5, 0x26)  # brand.yaml accent_color
STROKE = 26  # letter stroke width


def _in_polygon(x: float, y: float, points: list[tuple[float, float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _letters(x: float, y: float) -> bool:
    """The initials M and F, made of straight strokes."""
    top, bottom = 38, 158
    m_left, m_right = 215, 345
    if top <= y <= bottom and (m_left <= x <= m_left + STROKE or m_right - STROKE <= x <= m_right):
        return True
    middle = (m_left + m_right) / 2
    for start in (m_left, m_right):  # the two diagonals meeting at the middle
        if _in_polygon(x, y, [(start, top), (start + (STROKE if start == m_left else -STROKE), top),
                              (middle + STROKE / 2 * (1 if start == m_left else -1), 118),
                              (middle - STROKE / 2 * (1 if start == m_left else -1), 118)]):
            return True
    f_left = 380
    if top <= y <= bottom and f_left <= x <= f_left + STROKE:
        return True
    if top <= y <= top + STROKE and f_left <= x <= f_left + 100:
        return True
    return 88 <= y <= 88 + STROKE and f_left <= x <= f_left + 80


def colour_at(x: float, y: float) -> tuple[int, int, int] | None:
    """The colour of the design at a point, None where the background shows."""
    if abs(x - 100) + abs(y - 100) <= 46:  # diamond
        return ACCENT
    if (x - 100) ** 2 + (y - 100) ** 2 <= 84 ** 2:  # disc
        return PRIMARY
    if _letters(x, y):
        return PRIMARY
    if 215 <= x <= 565 and 172 <= y <= 182:  # underline
        return ACCENT
    return None


def row(py: int) -> bytes:
    """One row of the image as PNG stores it: a filter byte, then RGBA pixels."""
    out = bytearray(b"\0")  # PNG filter: none
    step = 1 / SAMPLES
    for px in range(WIDTH):
        red = green = blue = covered = 0
        for sy in range(SAMPLES):
            for sx in range(SAMPLES):
                colour = colour_at(px + (sx + 0.5) * step, py + (sy + 0.5) * step)
                if colour:
                    red, green, blue = red + colour[0], green + colour[1], blue + colour[2]
                    covered += 1
        if covered:
            out += bytes((red // covered, green // covered, blue // covered,
                          255 * covered // SAMPLES ** 2))
        else:
            out += b"\0\0\0\0"
    return bytes(out)


def png(width: int, height: int, rgba_rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rgba_rows, 9)) + chunk(b"IEND", b""))


def main() -> None:
    target = Path(__file__).resolve().parent / "logo.png"
    target.write_bytes(png(WIDTH, HEIGHT, b"".join(row(y) for y in range(HEIGHT))))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
