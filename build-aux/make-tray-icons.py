#!/usr/bin/env python3
"""Draws the tray's symbolic battery icons into data/icons/hicolor/symbolic/apps.

One 16x16 icon per charge step (0, 20, 40, 60, 80, 100), each also with a
charging bolt, and one for "no device / offline". Symbolic style: one colour
(#2e3436, recoloured by the theme), filled shapes, no strokes. Run it again
after changing the drawing; the SVGs are committed.
"""
import os
import sys

APP_ID = "io.github.juicepower.Juice"
COLOR = "#2e3436"
STEPS = (0, 20, 40, 60, 80, 100)

def battery(x):
    """Outline of a battery whose body starts at x (8 wide, 13 high) and its cap."""
    outer = f"M {x} 3 h 8 v 13 h -8 z"
    inner = f"M {x + 1.5} 4.5 v 10 h 5 v -10 z"
    cap = f"M {x + 2.5} 1 h 3 v 2 h -3 z"
    return f'<path d="{outer} {inner}" fill-rule="evenodd"/>\n  <path d="{cap}"/>'

def level(x, step):
    if step == 0:
        return ""
    height = 9.0 * step / 100.0
    top = 14.0 - height
    return f'\n  <path d="M {x + 2.5} {top:g} h 3 v {height:g} h -3 z"/>'

def bolt():
    return '\n  <path d="M 13.5 4 L 10.5 10 H 12.5 L 11.5 15 L 15.5 8 H 13.5 L 14.5 4 z"/>'

def missing(x):
    return f'\n  <path d="M {x + 2.5} 8.5 h 3 v 2 h -3 z"/>'

def svg(body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">\n'
            f'<g fill="{COLOR}">\n  {body}\n</g>\n</svg>\n')

def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(top, "data", "icons", "hicolor", "symbolic", "apps")
    os.makedirs(out, exist_ok=True)
    names = []
    for step in STEPS:
        for charging in (False, True):
            x = 1 if charging else 4
            body = battery(x) + level(x, step) + (bolt() if charging else "")
            name = f"{APP_ID}-battery-level-{step}{'-charging' if charging else ''}-symbolic.svg"
            names.append(name)
            with open(os.path.join(out, name), "w") as f:
                f.write(svg(body))
    name = f"{APP_ID}-battery-missing-symbolic.svg"
    names.append(name)
    with open(os.path.join(out, name), "w") as f:
        f.write(svg(battery(4) + missing(4)))
    print("\n".join(names), file=sys.stderr)

if __name__ == "__main__":
    main()
