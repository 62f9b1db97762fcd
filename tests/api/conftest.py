"""API clients acting as demo people with their own tokens, as a connected system would."""

import pytest
from rest_framework.test import APIClient

from api.services import token_create


class TokenClients:
    """`clients["mai.ht"]`: an APIClient sending mai.ht's token (created on first use)."""

    def __init__(self, world):
        self.world = world
        self._clients = {}

    def __getitem__(self, username: str) -> APIClient:
        if username not in self._clients:
            _token, key = token_create(user=self.world.user(username), name="Hệ thống thử")
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            self._clients[username] = client
        return self._clients[username]


@pytest.fixture
def clients(world) -> TokenClients:
    return TokenClients(world)
