"""Number translation fields, named as FusionPBX's columns."""

from __future__ import annotations

import marshmallow as ma

from fpbx_api.fusionpbx.models import NumberTranslation, NumberTranslationDetail
from fpbx_api.http.fields import BoolString, Pattern, Text, output_schema
from fpbx_api.kit.regexes import Regex

# FusionPBX's translate.conf Lua writes the regex and the replacement into the XML it
# hands FreeSWITCH unescaped: a quote, '<' or '&' there breaks every domain's rules.
XML_SAFE = Pattern(r'^[^"<>&]*$', error="Must not contain \" < > & (FusionPBX writes it "
                   "into translate.conf unescaped)")


class Order(ma.fields.Field):
    """``number_translation_detail_order``: text, as the form's select posts it ("010");
    0 to 999, given as a number or as digits."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"type": "string", "pattern": "^[0-9]{3}$",
                                   "example": "010", "description": "Rules run in this "
                                   "order (text, zero-padded as FusionPBX's form sends it)"},
                         **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ma.ValidationError("Use 0 to 999.")
        text = str(value)
        if not text.isascii() or not text.isdigit() or len(text) > 3:
            raise ma.ValidationError("Use 0 to 999.")
        return f"{int(text):03d}"


class NumberTranslationDetailWriteSchema(ma.Schema):
    number_translation_detail_regex = Regex(required=True, validate=XML_SAFE)
    number_translation_detail_replace = ma.fields.String(
        load_default="", validate=[Pattern(r"^[A-Za-z0-9+*#$.\\_-]{0,64}$", error=(
            "Use up to 64 of: letters, digits, + * # $ . \\ _ - ($1 is the first group)"))])
    number_translation_detail_order = Order(load_default="000")


DETAIL_COLUMNS = ["number_translation_detail_uuid", "number_translation_detail_regex",
                  "number_translation_detail_replace", "number_translation_detail_order"]
DetailOutSchema = output_schema("NumberTranslationDetailSchema", NumberTranslationDetail,
                                DETAIL_COLUMNS)
COLUMNS = ["number_translation_uuid", "number_translation_name",
           "number_translation_enabled", "number_translation_description"]
NumberTranslationListItemSchema = output_schema("NumberTranslationListItemSchema",
                                                NumberTranslation, COLUMNS)
NumberTranslationSchema = output_schema(
    "NumberTranslationSchema", NumberTranslation, COLUMNS,
    number_translation_details=ma.fields.List(ma.fields.Nested(DetailOutSchema)))


class NumberTranslationWriteSchema(ma.Schema):
    """Fields a client may set; required ones only on create (update is partial)."""

    number_translation_name = Text(
        required=True, validate=Pattern(r"^[A-Za-z0-9_.-]{1,64}$"),
        metadata={"description": "The profile the translate application names"})
    number_translation_enabled = BoolString()
    number_translation_description = Text(max_length=1000)
    number_translation_details = ma.fields.List(
        ma.fields.Nested(NumberTranslationDetailWriteSchema), validate=ma.validate.Length(max=100),
        metadata={"description": "Replaces all rules when given"})
