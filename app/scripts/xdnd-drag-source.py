#!/usr/bin/python3
"""A tiny GTK 3 drag source for checking Greylab's drop handling with a real XDND drag (as from a file manager).

    /usr/bin/python3 app/scripts/xdnd-drag-source.py X Y PATH...

Shows a button at screen position X,Y; dragging it offers PATH... as text/uri-list, the way Nautilus and Thunar
do. It prints one line per step of the protocol (drag-begin, data asked for by the drop target, drag-end or
drag-failed), so a script can tell that the window really asked for the files. Needs python3-gi and
gir1.2-gtk-3.0 (Debian).
"""
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402


def main():
    x, y, paths = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    uris = [GLib.filename_to_uri(p, None) for p in paths]
    window = Gtk.Window(title="greylab drag source")
    window.set_default_size(220, 120)
    window.move(x, y)
    button = Gtk.Button(label="drag me: " + ", ".join(p.rsplit("/", 1)[-1] for p in paths))
    button.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
    button.drag_source_add_uri_targets()

    def say(text):
        print(text, flush=True)

    button.connect("drag-begin", lambda *a: say("drag-begin"))
    button.connect("drag-data-get", lambda w, ctx, data, info, time: (data.set_uris(uris),
                                                                       say("drag-data-get " + " ".join(uris))))
    button.connect("drag-failed", lambda w, ctx, result: (say("drag-failed " + str(result)), False)[1])
    button.connect("drag-end", lambda *a: say("drag-end"))
    window.add(button)
    window.connect("destroy", Gtk.main_quit)
    window.show_all()
    say("ready")
    Gtk.main()


if __name__ == "__main__":
    main()
