"""The portal's fault texts, verbatim from the screens."""

SYSTEM_ERROR = "Sistem hatası. Lütfen daha sonra tekrar deneyiniz."
MAINTENANCE = "Sistem bakımda."
