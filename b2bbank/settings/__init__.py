"""Settings package: `base` holds what every environment shares; pick one of
`dev` (default), `test` or `production` with DJANGO_SETTINGS_MODULE."""
