"""AGS, NRPS and the token endpoint, driven by pylti1p3 and by hand over real HTTP."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import jwt
from pylti1p3.registration import Registration

from tests.support.platform import TERRY_TEACHER, Browser
from tests.support_tests.conftest import Pair

SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"


def _launch(pair: Pair, browser: Browser, **kwargs: Any) -> dict[str, Any]:
    final = browser.open(pair.platform.launch_url(pair.client_id, **kwargs))
    assert final.status_code == 200, final.text
    result: dict[str, Any] = final.json()
    return result


def _assertion(pair: Pair, **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": pair.client_id,
        "sub": pair.client_id,
        "aud": pair.platform.auth_token_url,
        "iat": now,
        "exp": now + 60,
        "jti": str(uuid.uuid4()),
        **overrides,
    }
    kid = Registration.get_jwk(pair.tool.public_key)["kid"]
    return jwt.encode(claims, pair.tool.private_key, algorithm="RS256", headers={"kid": kid})


def _token_request(pair: Pair, scope: str, **form: str) -> httpx.Response:
    data = {
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": _assertion(pair),
        "scope": scope,
        **form,
    }
    return httpx.post(pair.platform.auth_token_url, data=data)


def _token(pair: Pair, scope: str) -> str:
    answer = _token_request(pair, scope)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def test_score_arrives_through_a_real_token_exchange(pair: Pair, browser: Browser) -> None:
    platform, tool = pair.platform, pair.tool
    launch = _launch(pair, browser)
    hits = tool.jwks_hits

    answer = browser.open(f"{tool.url}/score?launch_id={launch['launch_id']}&score=7")

    assert answer.status_code == 200, answer.text
    assert tool.jwks_hits > hits  # the client assertion was checked against the tool's JWKS
    score = platform.scores[-1]
    assert score.status == 200
    assert score.lineitem_url == launch["claims"][AGS]["lineitem"]
    assert score.content_type == SCORE_TYPE
    assert score.body["scoreGiven"] == 7
    assert score.body["userId"] == "4"
    assert SCOPE + "score" in score.token_scopes
    assert score.client_id == pair.client_id
    assert platform.token_requests[-1]["client_id"] == pair.client_id
    (grade,) = [g for g in answer.json()["grades"] if g["userId"] == "4"]
    assert grade["resultScore"] == 70  # rescaled to the column's 100, as Moodle does
    assert grade["scoreOf"] == score.lineitem_url


def test_tool_finds_or_creates_a_line_item_by_tag(pair: Pair, browser: Browser) -> None:
    launch = _launch(pair, browser)

    answer = browser.open(f"{pair.tool.url}/lineitem?launch_id={launch['launch_id']}&tag=semh")

    assert answer.status_code == 200, answer.text
    column = pair.platform.find_lineitem(tag="semh")
    assert column is not None
    assert (column["label"], column["scoreMaximum"], column["resourceId"]) == (
        "Tagged column",
        50,
        "res-1",
    )
    assert answer.json()["lineitem"] == column["id"]
    assert pair.platform.scores[-1].lineitem_url == column["id"]


def test_nrps_lists_the_course_members(pair: Pair, browser: Browser) -> None:
    pair.platform.add_member(TERRY_TEACHER, ["Instructor"])
    launch = _launch(pair, browser)

    answer = browser.open(f"{pair.tool.url}/members?launch_id={launch['launch_id']}")

    assert answer.status_code == 200, answer.text
    members = {m["user_id"]: m for m in answer.json()["members"]}
    assert members["4"]["roles"] == ["Learner"]
    assert members["4"]["email"] == "student1@example.com"
    assert members["3"]["roles"] == ["Instructor"]


def test_services_down_answers_503_until_back(pair: Pair, browser: Browser) -> None:
    platform = pair.platform
    launch = _launch(pair, browser)
    score_url = f"{pair.tool.url}/score?launch_id={launch['launch_id']}"
    platform.set_services_down(True)
    try:
        refused = browser.open(score_url)
        direct = _token_request(pair, SCOPE + "score")
    finally:
        platform.set_services_down(False)

    assert refused.status_code == 502
    assert "503" in refused.text
    assert direct.status_code == 503
    assert direct.headers["Retry-After"] == "1"
    assert browser.open(score_url).status_code == 200


def test_stale_scores_get_409_when_asked(pair: Pair, browser: Browser) -> None:
    platform = pair.platform
    launch = _launch(pair, browser)
    url = f"{pair.tool.url}/score?launch_id={launch['launch_id']}&user=5&timestamp="
    stamps = [
        "2031-01-01T00:00:00.100%2B00:00",  # accepted
        "2031-01-01T00:00:00.100%2B00:00",  # same time: 409
        "2031-01-01T00:00:00.900%2B00:00",  # later, but the same second: 409 (Moodle)
        "2031-01-01T00:00:01%2B00:00",  # a second later: accepted
    ]
    platform.reject_stale_scores = True
    try:
        answers = [browser.open(url + stamp).status_code for stamp in stamps]
    finally:
        platform.reject_stale_scores = False

    assert answers == [200, 502, 502, 200]
    assert [s.status for s in platform.scores[-4:]] == [200, 409, 409, 200]


def test_token_endpoint_checks_the_client_assertion(pair: Pair) -> None:
    jti = str(uuid.uuid4())
    once = _token_request(pair, SCOPE + "score", client_assertion=_assertion(pair, jti=jti))
    replayed = _token_request(pair, SCOPE + "score", client_assertion=_assertion(pair, jti=jti))
    wrong_aud = _token_request(
        pair, SCOPE + "score", client_assertion=_assertion(pair, aud="https://elsewhere")
    )
    expired = _token_request(
        pair, SCOPE + "score", client_assertion=_assertion(pair, exp=int(time.time()) - 10)
    )
    unknown = _token_request(
        pair, SCOPE + "score", client_assertion=_assertion(pair, iss="x", sub="x")
    )
    bad_grant = _token_request(pair, SCOPE + "score", grant_type="password")
    no_scope = _token_request(pair, "https://example.com/scope/unknown")

    assert once.status_code == 200
    assert once.json()["scope"] == SCOPE + "score"
    assert [r.status_code for r in (replayed, wrong_aud, expired, unknown)] == [401] * 4
    assert bad_grant.json()["error"] == "unsupported_grant_type"
    assert no_scope.json()["error"] == "invalid_scope"


def test_service_endpoints_check_token_scope_type_and_body(pair: Pair, browser: Browser) -> None:
    launch = _launch(pair, browser)
    lineitem = launch["claims"][AGS]["lineitem"]
    lineitems = launch["claims"][AGS]["lineitems"]
    scores = lineitem.replace("/lineitem?", "/lineitem/scores?")
    score_only = {"Authorization": f"Bearer {_token(pair, SCOPE + 'score')}"}
    good_score = {
        "userId": "4",
        "scoreGiven": 1,
        "scoreMaximum": 2,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": "2030-01-01T00:00:00+00:00",
    }

    def post_score(body: Any, content_type: str = SCORE_TYPE, **headers: str) -> int:
        resp = httpx.post(
            scores, json=body, headers={**score_only, "Content-Type": content_type, **headers}
        )
        return resp.status_code

    assert httpx.get(lineitems).status_code == 401
    assert httpx.get(lineitems, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert httpx.get(lineitems, headers=score_only).status_code == 403
    assert post_score(good_score) == 200
    assert post_score(good_score, content_type="application/json") == 415
    assert post_score({**good_score, "timestamp": "2030-01-01T00:00:00"}) == 400
    assert post_score({**good_score, "userId": 4}) == 400
    assert post_score({k: v for k, v in good_score.items() if k != "gradingProgress"}) == 400
    wrong_tool = scores.replace("type_id=1", "type_id=77")
    resp = httpx.post(
        wrong_tool, json=good_score, headers={**score_only, "Content-Type": SCORE_TYPE}
    )
    assert resp.status_code == 403


def test_line_items_crud_and_pagination(pair: Pair, browser: Browser) -> None:
    launch = _launch(pair, browser)
    lineitems = launch["claims"][AGS]["lineitems"]
    auth = {"Authorization": f"Bearer {_token(pair, SCOPE + 'lineitem')}"}
    created = []
    for n in range(3):
        resp = httpx.post(
            lineitems,
            headers={**auth, "Content-Type": LINEITEM_TYPE},
            json={"label": f"Page test {n}", "scoreMaximum": 5, "tag": "page-test"},
        )
        assert resp.status_code == 201, resp.text
        created.append(resp.json())
    bad = httpx.post(
        lineitems, headers={**auth, "Content-Type": LINEITEM_TYPE}, json={"label": "x"}
    )

    first = httpx.get(f"{lineitems}&tag=page-test&limit=2", headers=auth)
    next_url = first.links["next"]["url"]
    second = httpx.get(next_url, headers=auth)

    assert bad.status_code == 400
    assert first.headers["Link"] == f'<{next_url}>; rel="next"'
    assert "type_id=1" in next_url
    assert [i["label"] for i in first.json() + second.json()] == [c["label"] for c in created]
    assert "Link" not in second.headers
    put = httpx.put(
        created[0]["id"],
        headers={**auth, "Content-Type": LINEITEM_TYPE},
        json={"label": "Renamed", "scoreMaximum": 8},
    )
    assert put.status_code == 200
    assert put.json()["label"] == "Renamed"
    assert httpx.delete(created[1]["id"], headers=auth).status_code == 204
    assert httpx.get(created[1]["id"], headers=auth).status_code == 404


def test_key_rotation_keeps_launches_working(pair: Pair, browser: Browser) -> None:
    platform = pair.platform
    old_kid = platform.signing_kid

    new_kid = platform.rotate_key()
    launch = _launch(pair, browser)

    assert new_kid != old_kid
    assert platform.last_launch is not None
    assert platform.last_launch.header["kid"] == new_kid
    assert launch["claims"]["sub"] == "4"
    kids = [k["kid"] for k in httpx.get(platform.jwks_url).json()["keys"]]
    assert kids == [old_kid, new_kid]
