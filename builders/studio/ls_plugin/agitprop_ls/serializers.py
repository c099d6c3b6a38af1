"""The user-update serializer with ``active_organization`` read-only (see ``settings.py``)."""

from users.serializers import BaseUserSerializerUpdate


class UserSerializerUpdate(BaseUserSerializerUpdate):
    class Meta(BaseUserSerializerUpdate.Meta):
        read_only_fields = ("email", "active_organization")
