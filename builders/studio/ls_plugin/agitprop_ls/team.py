"""``python -m agitprop_ls.team add|list|remove``: annotator and reviewer accounts, through
Django's ORM inside Label Studio's environment (its own routes are unsafe: the invite link gives
full access, ``POST /api/users/`` makes a user without a password, ``init`` makes a superuser).

Layout (docs/label-studio.md, "An annotation team"):

* an annotator NAME gets an organisation of their own, ``agitprop: NAME``, holding only their
  copy of the project; a reviewer joins the shared ``agitprop: review`` organisation;
* every such organisation has one manager account (no password, never staff) whose API token
  (0600 file in the team folder) is what ``agitprop sync`` uses to reach that organisation;
* passwords and tokens go only into 0600 files; stdout carries one JSON line without secrets,
  and ``team.json`` (no secrets) tells agitprop who is on the team.

Called by ``builders/studio/team.py``; the settings module and data folder come from the
environment it sets (``DJANGO_SETTINGS_MODULE``, ``LABEL_STUDIO_BASE_DATA_DIR``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import sys
from pathlib import Path

ROLES = ("annotator", "reviewer")
DOMAIN = "agitprop.invalid"
REVIEW = "review"


class TeamError(Exception):
    pass


def write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def setup_django() -> None:
    import label_studio

    # Label Studio imports its apps as top-level packages (``core``, ``users``), as server.py does
    sys.path.insert(0, os.path.dirname(label_studio.__file__))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agitprop_ls.settings")
    import django

    django.setup()


# -- the model -----------------------------------------------------------------------------------


def organisation_key(name: str, role: str) -> str:
    return REVIEW if role == "reviewer" else name


def manager_email(key: str) -> str:
    return f"agitprop-manager+{key}@{DOMAIN}"


def manager_token_file(team_dir: Path, key: str) -> Path:
    return team_dir / f"manager-{key}.token"


def credentials_file(team_dir: Path, name: str) -> Path:
    return team_dir / f"{name}.credentials"


def role_of(user) -> str | None:
    from agitprop_ls.permissions import ANNOTATOR, REVIEWER

    groups = set(user.groups.values_list("name", flat=True))
    return "annotator" if ANNOTATOR in groups else "reviewer" if REVIEWER in groups else None


def group(role: str):
    from django.contrib.auth.models import Group

    from agitprop_ls.permissions import ANNOTATOR, MANAGER, REVIEWER

    name = {"annotator": ANNOTATOR, "reviewer": REVIEWER, "manager": MANAGER}[role]
    return Group.objects.get_or_create(name=name)[0]


def ensure_organisation(key: str, team_dir: Path):
    """The organisation for ``key`` (an annotator's name or ``review``) and its manager."""
    from organizations.models import Organization
    from rest_framework.authtoken.models import Token
    from users.models import User

    email = manager_email(key)
    manager = User.objects.filter(email=email).first()
    if manager is None:
        manager = User.objects.create_user(email=email, password=None, username=f"manager-{key}")
        manager.set_unusable_password()  # reachable only through its token
        manager.save()
        manager.groups.add(group("manager"))
    organisation = Organization.objects.filter(created_by=manager).first()
    if organisation is None:
        organisation = Organization.create_organization(
            created_by=manager, title=f"agitprop: {key}", legacy_api_tokens_enabled=True
        )
    jwt = getattr(organisation, "jwt", None)
    if jwt is not None and not jwt.legacy_api_tokens_enabled:
        # agitprop's manager accounts use legacy tokens, as the admin does
        jwt.legacy_api_tokens_enabled = True
        jwt.save()
    if manager.active_organization_id != organisation.id:
        manager.active_organization = organisation
        manager.save(update_fields=["active_organization"])
    token_file = manager_token_file(team_dir, key)
    if not token_file.exists():
        token, _ = Token.objects.get_or_create(user=manager)
        write_private(token_file, token.key + "\n")
    return organisation


def revoke_tokens(user) -> None:
    """A new legacy token and every JWT refresh token blacklisted: old ones stop working."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    Token.objects.create(user=user)
    with contextlib.suppress(Exception):  # the blacklist app is optional in Label Studio
        from rest_framework_simplejwt.token_blacklist.models import (
            BlacklistedToken,
            OutstandingToken,
        )

        for outstanding in OutstandingToken.objects.filter(user=user):
            BlacklistedToken.objects.get_or_create(token=outstanding)


def add(name: str, role: str, email: str | None, reset: bool, team_dir: Path, url: str) -> dict:
    from django.db import transaction
    from users.models import User

    email = (email or f"{name}@{DOMAIN}").lower()
    user = User.objects.filter(email=email).first() or User.objects.filter(username=name).first()
    if user is not None and not reset:
        raise TeamError(
            f"{name!r} ({user.email}) already has an account; rotate its password with "
            f"`agitprop studio users add {name} --reset`"
        )
    if user is None and reset:
        raise TeamError(f"no account {name!r} to reset; add it without --reset")
    if user is not None and (user.is_staff or user.is_superuser):
        raise TeamError(f"{user.email} is a staff/superuser account; it cannot join the team")
    if user is not None and role_of(user) not in (None, role):
        raise TeamError(
            f"{name!r} is a {role_of(user)}; roles are fixed (their work lives in that "
            "role's organisation): add a new name for the other role"
        )
    password = secrets.token_urlsafe(18)
    with transaction.atomic():
        organisation = ensure_organisation(organisation_key(name, role), team_dir)
        if user is None:
            user = User.objects.create_user(email=email, password=password, username=name)
        else:
            user.set_password(password)  # also ends the user's open sessions
            user.is_active = True
            user.save()
            revoke_tokens(user)
        user.is_staff = user.is_superuser = False
        user.groups.add(group(role))
        organisation.add_user(user)
        user.active_organization = organisation
        user.save()
    path = credentials_file(team_dir, name)
    write_private(
        path,
        f"Label Studio account for {name} ({role})\n"
        f"url: {url}\n"
        f"email: {email}\n"
        f"password: {password}\n",
    )
    return {"credentials_file": str(path), "member": describe(user)}


def remove(name: str) -> dict:
    from users.models import User

    user = team_users().filter(username=name).first()
    if user is None:
        raise TeamError(f"no team member {name!r} (see `agitprop studio users list`)")
    user.is_active = False  # no login, no token, no session; their annotations stay
    user.save(update_fields=["is_active"])
    revoke_tokens(user)
    return {"member": describe(User.objects.get(pk=user.pk))}


def team_users():
    from users.models import User

    from agitprop_ls.permissions import ANNOTATOR, REVIEWER

    return (
        User.objects.filter(groups__name__in=[ANNOTATOR, REVIEWER]).distinct().order_by("username")
    )


def describe(user) -> dict:
    from projects.models import Project

    role = role_of(user)
    key = organisation_key(user.username, role)
    organisations = list(user.organizations.order_by("id"))
    projects = Project.objects.filter(organization__in=organisations).order_by("id")
    return {
        "name": user.username,
        "role": role,
        "email": user.email,
        "active": user.is_active,
        "organization_id": organisations[0].id if organisations else None,
        "organization": organisations[0].title if organisations else None,
        "manager_email": manager_email(key),
        "manager_token_file": manager_token_file(Path("."), key).name,
        "projects": [{"id": p.id, "title": p.title} for p in projects],
    }


def members() -> list[dict]:
    return [describe(user) for user in team_users()]


def write_registry(team_dir: Path) -> list[dict]:
    """``team.json``: who is on the team and which token file reaches whom (no secrets)."""
    listed = members()
    team_dir.mkdir(parents=True, exist_ok=True)
    path = team_dir / "team.json"
    staging = path.with_suffix(".json.tmp")
    staging.write_text(json.dumps({"members": listed}, indent=2) + "\n", encoding="utf-8")
    staging.replace(path)
    return listed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="agitprop_ls.team")
    parser.add_argument("--team-dir", type=Path, required=True)
    actions = parser.add_subparsers(dest="action", required=True)
    adding = actions.add_parser("add")
    adding.add_argument("name")
    adding.add_argument("--role", choices=ROLES, default="annotator")
    adding.add_argument("--email")
    adding.add_argument("--reset", action="store_true")
    adding.add_argument("--url", required=True)
    actions.add_parser("list")
    removing = actions.add_parser("remove")
    removing.add_argument("name")
    args = parser.parse_args(argv)

    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # Label Studio's settings print banners; stdout carries only JSON
    try:
        setup_django()
        if args.action == "add":
            result = add(args.name, args.role, args.email, args.reset, args.team_dir, args.url)
        elif args.action == "remove":
            result = remove(args.name)
        else:
            result = {}
        result["members"] = write_registry(args.team_dir)
    except TeamError as exc:
        result = {"error": str(exc)}
    finally:
        sys.stdout = real_stdout
    print(json.dumps(result))
    return 1 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
