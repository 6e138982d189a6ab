"""The shared cache (LEGWORK_CACHE_URL): Django's RedisCache, failing soft.

Kept pages and the throttles' counts are worth having, never worth an error page: while Redis is
down or unreachable, a read is a miss, a write is skipped, and the request goes on (a kept page
is rendered; a throttle lets the request through, RATELIMIT_FAIL_OPEN). The failure is logged
once a minute at most, and Redis is not tried again for a few seconds, so an unreachable host
costs a request at most one short timeout.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
LOG_EVERY_SECONDS = 60
# An unreachable host (a firewall dropping packets) would otherwise hold a request for minutes.
TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
MISSING = object()


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**TIMEOUTS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._down_until = 0.0
        self._logged_at = 0.0

    def _soft(self, call, failed, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return failed
        try:
            return call(*args, **kwargs)
        except (RedisError, OSError) as error:
            now = time.monotonic()
            self._down_until = now + RETRY_AFTER_SECONDS
            if now - self._logged_at >= LOG_EVERY_SECONDS:
                self._logged_at = now
                logger.error("The shared cache (LEGWORK_CACHE_URL) is unavailable: %s", error)
            return failed

    def get(self, key, default=None, version=None):
        return self._soft(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft(super().get_many, {}, keys, version)

    def set(self, key, value, timeout=MISSING, version=None):
        timeout = self.default_timeout if timeout is MISSING else timeout
        self._soft(super().set, None, key, value, timeout, version)

    def add(self, key, value, timeout=MISSING, version=None):
        timeout = self.default_timeout if timeout is MISSING else timeout
        return self._soft(super().add, False, key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        value = self._soft(super().incr, MISSING, key, delta, version)
        if value is MISSING:
            raise ValueError(f"Key {key!r} could not be counted: the shared cache is down.")
        return value

    def delete(self, key, version=None):
        return self._soft(super().delete, False, key, version)

    def touch(self, key, timeout=MISSING, version=None):
        timeout = self.default_timeout if timeout is MISSING else timeout
        return self._soft(super().touch, False, key, timeout, version)

    def clear(self):
        """Only this cache's keys (its KEY_PREFIX): Django's clear() empties the whole Redis
        database, with the other caches and installations sharing it."""
        self._soft(self._clear_own_keys, None)

    def _clear_own_keys(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=self.make_key("*"), count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
