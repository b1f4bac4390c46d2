"""Colour arithmetic for the brand: text that stays readable on the brand's colours
(WCAG 2 contrast), and pale tints for backgrounds. Used by the Word and HTML writers."""

from __future__ import annotations


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an RRGGBB colour."""
    channels = []
    for index in (0, 2, 4):
        value = int(colour[index:index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two RRGGBB colours (1 to 21; 4.5 is the AA bar for text)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_text_on(fill: str) -> str:
    """White or near-black text, whichever contrasts more with `fill` (RRGGBB)."""
    return max(("FFFFFF", "1A1A1A"), key=lambda text: contrast(text, fill))


def tint(colour: str, strength: float) -> str:
    """`colour` (RRGGBB) mixed into white at `strength` (0 to 1): a pale background."""
    return "".join(f"{round(255 - (255 - int(colour[i:i + 2], 16)) * strength):02X}"
                   for i in (0, 2, 4))
