"""``agitprop studio users add|list|remove``: the annotation team's accounts.

Passwords and tokens are never printed: ``add`` says which 0600 file holds the login.
"""

from __future__ import annotations

import argparse

from builders.studio.server import StudioHome


def run_users(home: StudioHome, args: argparse.Namespace) -> int:
    from builders.studio.team import add_member, list_members, remove_member

    if args.verb == "add":
        member, credentials = add_member(
            home, args.name, role=args.role, email=args.email, reset=args.reset
        )
        what = "new password for" if args.reset else "added"
        print(f"{what} {member.name} ({member.role}), login {member.email}")
        print(f"  organisation: {member.organization} (sees only its own project(s))")
        print(f"  password in {credentials} (mode 0600): hand this file over once, then delete it")
        return 0
    if args.verb == "remove":
        member = remove_member(home, args.name)
        print(f"deactivated {member.name} ({member.email}); their annotations are kept")
        return 0
    members = list_members(home)
    if not members:
        print("no annotators or reviewers yet: agitprop studio users add NAME")
        return 0
    rows = [("NAME", "ROLE", "LOGIN", "ACTIVE", "PROJECTS")]
    for member in members:
        projects = ", ".join(f"{p['title']} (#{p['id']})" for p in member.projects) or "-"
        active = "yes" if member.active else "no"
        rows.append((member.name, member.role, member.email, active, projects))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
            + "  "
            + row[4]
        )
    return 0
