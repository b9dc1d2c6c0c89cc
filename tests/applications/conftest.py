import pytest


@pytest.fixture
def token_for(client):
    def issue(username, password="demo12345"):
        response = client.post("/api/v1/tokens", json={"username": username, "password": password})
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return issue
