"""Transport security for deployments behind TLS. Production applies these; the
header tests apply the same dict with override_settings, so what is tested is
what is deployed."""

from .base import env

HTTPS_SETTINGS = {
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True),
    "SECURE_HSTS_SECONDS": env.int("DJANGO_HSTS_SECONDS", default=31536000),
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    # __Host- cookies are refused by browsers unless Secure, host-only and Path=/,
    # so a sibling subdomain or a plain-HTTP page cannot plant or shadow them.
    "SESSION_COOKIE_NAME": "__Host-sessionid",
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
    # The CSRF token is read from the form field, never by JavaScript from the cookie.
    "CSRF_COOKIE_HTTPONLY": True,
}
