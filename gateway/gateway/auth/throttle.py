"""The password grant's login throttle: :mod:`tgd_servicekit.login_throttle` (the console's
login form uses the same), per caller address as the gateway sees it."""

from tgd_servicekit.login_throttle import LoginThrottle

__all__ = ["LoginThrottle"]
