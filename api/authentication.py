"""API authentication: a person's own key as `Authorization: Bearer <key>`, or the portal's signed-in session."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.services import api_token_person


class PersonTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as 'Authorization: Bearer <key>'."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The key holds characters no key has.")) from None
        person = api_token_person(key)
        if person is None:
            raise exceptions.AuthenticationFailed(
                _("This key is unknown or was revoked; create a new one on your page.")
            )
        return person, None

    def authenticate_header(self, request):
        return self.keyword


class PersonTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonTokenAuthentication"
    name = "personToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A person's own API key, created and revoked on their 'API key' page.",
        }
