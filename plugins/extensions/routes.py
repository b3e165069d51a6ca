"""HTTP routes for /api/v1/extensions."""

from __future__ import annotations

from flask.views import MethodView
from fpbx_api_plugins.extensions import service
from fpbx_api_plugins.extensions.schemas import (
    ExtensionCreatedSchema,
    ExtensionCreateSchema,
    ExtensionListItemSchema,
    ExtensionSchema,
    ExtensionUpdatedSchema,
    ExtensionWriteSchema,
)

from fpbx_api import db
from fpbx_api.envelope import Blueprint, Result
from fpbx_api.freeswitch import apply_change
from fpbx_api.listing import ListSpec, paginate
from fpbx_api.models import Extension
from fpbx_api.scoping import get_or_404, scoped

blp = Blueprint("extensions", __name__, url_prefix="/extensions",
                description="Phone extensions (SIP endpoints)")

LIST = ListSpec(
    Extension,
    filters=["extension", "number_alias", "enabled", "user_context", "call_group",
             "directory_visible", "do_not_disturb"],
    search=["extension", "number_alias", "effective_caller_id_name",
            "effective_caller_id_number", "directory_first_name", "directory_last_name",
            "description"],
    sort=["extension", "number_alias", "effective_caller_id_name", "enabled", "description"],
    default_order="extension",
)


@blp.route("")
class Extensions(MethodView):
    @blp.arguments(LIST.schema(), location="query")
    @blp.envelope(200, ExtensionListItemSchema, paginated=True)
    def get(self, args):
        """List the domain's extensions"""
        return paginate(db.session(), LIST, scoped(Extension), args)

    @blp.arguments(ExtensionCreateSchema)
    @blp.envelope(201, ExtensionCreatedSchema)
    def post(self, values):
        """Create an extension with its voicemail box

        The SIP password and voicemail PIN are generated when not given and
        returned once, in this response. The FusionPBX directory cache is
        cleared after the commit; `applied.cache` says whether it was.
        """
        ext, mailbox, secrets = service.create(values)
        db.session().commit()
        applied = apply_change(service.directory_keys(ext))
        data = {"extension_uuid": ext.extension_uuid, "voicemail_uuid": mailbox.voicemail_uuid,
                **secrets}
        return Result(data, "Extension created successfully", applied)


@blp.route("/<uuid:extension_uuid>")
class ExtensionItem(MethodView):
    @blp.envelope(200, ExtensionSchema)
    def get(self, extension_uuid):
        """Get one extension, with its voicemail box and linked user"""
        return service.detail(get_or_404(Extension, str(extension_uuid), "Extension"))

    @blp.arguments(ExtensionWriteSchema)
    @blp.envelope(200, ExtensionUpdatedSchema)
    def put(self, values, extension_uuid):
        """Update an extension (only the fields given)"""
        ext = get_or_404(Extension, str(extension_uuid), "Extension")
        keys = service.update(ext, values)
        db.session().commit()
        return Result({"extension_uuid": ext.extension_uuid}, "Extension updated successfully",
                      apply_change(keys))

    @blp.no_content()
    def delete(self, extension_uuid):
        """Delete an extension, its voicemail box, user links, follow-me, ring-group
        memberships and settings"""
        ext = get_or_404(Extension, str(extension_uuid), "Extension")
        keys = service.remove(ext)
        db.session().commit()
        return Result(None, applied=apply_change(keys))
