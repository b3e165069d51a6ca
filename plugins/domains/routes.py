"""GET /api/v1/domains: only the authenticated domain, without pagination."""

from __future__ import annotations

from flask.views import MethodView

from fpbx_api import db
from fpbx_api.fusionpbx.models import Domain
from fpbx_api.http.envelope import Blueprint
from fpbx_api.http.fields import output_schema
from fpbx_api.http.openapi import operation
from fpbx_api.kit.scoping import domain_uuid

blp = Blueprint("domains", __name__, url_prefix="/domains",
                description="The authenticated domain")


DomainSchema = output_schema("DomainSchema", Domain, ["domain_uuid", "domain_name",
                                                      "domain_enabled", "domain_description"])


@blp.route("")
class Domains(MethodView):
    @operation("list", "domains")
    @blp.envelope(200, DomainSchema, many=True)
    def get(self):
        """The authenticated domain (a list of one, as the contract shows)"""
        return [db.session().get(Domain, domain_uuid())]
