"""The API's OpenAPI schema (drf-spectacular) says every answer an operation gives, its refusals too: 400 with the
reasons per field, 401 without a valid key or session, 403 when the person may not write, 404 for no such record
or page, 409 when a write conflicts with the record, 429 past the rate limit (with Retry-After)."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Why the request was refused."}},
    "required": ["detail"],
}
REASONS = {"type": "array", "items": {"type": "string"}}
VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "Why the request was refused: the reasons per parameter or field (a list's reasons per item, by position),"
        " or `detail` when the body could not be read at all."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"anyOf": [REASONS, {"type": "object", "additionalProperties": REASONS}]},
}
RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer", "minimum": 0}, "description": "Seconds to wait before asking again."}
}


class AutoSchema(openapi.AutoSchema):
    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component.ref

    def _error(self, description: str, schema: dict, headers: dict | None = None) -> dict:
        answer = {"description": description, "content": {"application/json": {"schema": schema}}}
        return {**answer, "headers": headers} if headers else answer

    def _takes_parameters(self) -> bool:
        declared = self._get_filter_parameters() + self._get_pagination_parameters() + self.get_override_parameters()
        return bool(declared) or self.method in ("POST", "PUT", "PATCH")

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = self._component("Error", ERROR)
        writes = self.method not in ("GET", "HEAD", "OPTIONS")
        errors = {}
        reasons = self._component("ValidationError", VALIDATION_ERROR)
        if self._takes_parameters():
            errors["400"] = self._error(
                "Refused: a parameter or the body is not what this operation takes; the reasons say why.", reasons
            )
        errors["401"] = self._error("No valid API key (Authorization: Bearer <key>) or signed-in session.", error)
        if writes:
            errors["403"] = self._error(
                "Signed in, but not allowed to do this (or a session without its CSRF token).", error
            )
        if "{" in self.path or self._is_list_view():
            errors["404"] = self._error("No such record, or no such page of the list.", error)
        if writes:
            errors["409"] = self._error("The request conflicts with the record as it is; the reasons say how.", reasons)
        errors["429"] = self._error("Too many requests: wait as Retry-After says.", error, RETRY_AFTER)
        for code, answer in errors.items():
            responses.setdefault(code, answer)
        return responses
