"""A query costs about what a normal one costs, whatever is typed (no hundred-word queries)."""
import random

from cms.search.analyzer import MAX_QUERY_GROUPS, MAX_QUERY_TOKENS, MAX_SINGLE_CHAR_GROUPS, parse_query

CJK = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研"


def test_a_hundred_one_character_words_become_a_bounded_query():
    groups, truncated = parse_query(" ".join(CJK[:100]))
    assert truncated
    assert len(groups) <= MAX_QUERY_GROUPS
    singles = [g for g in groups if len(g[0]) == 1 and len(g[0][0]) == 1]
    assert len(singles) <= MAX_SINGLE_CHAR_GROUPS


def test_many_words_and_long_phrases_are_capped():
    rng = random.Random(7)
    words = ["".join(rng.choice(CJK) for _ in range(rng.randint(2, 6))) for _ in range(60)]
    groups, truncated = parse_query(" ".join(words))
    assert truncated and 0 < len(groups) <= MAX_QUERY_GROUPS
    assert sum(len(p) for g in groups for p in g) <= MAX_QUERY_TOKENS


def test_repeated_words_count_once_and_normal_queries_are_untouched():
    groups, truncated = parse_query("文化 文化 文化 广电")
    assert len(groups) == 2 and not truncated
    groups, truncated = parse_query('"全民阅读" 嘉文广发〔2017〕31号 通知')
    assert not truncated and len(groups) == 6  # 嘉文广发, 2017, 31 and 号 are separate runs


def test_heavy_queries_answer_on_every_surface(client, demo, backend_name):
    heavy = " ".join(CJK[:100])
    assert client.get("/api/v1/search", query_string={"q": heavy}).status_code == 200
    page = client.get("/search", query_string={"q": heavy})
    assert page.status_code == 200
    assert "已只使用前" in page.get_data(as_text=True)


def test_a_very_long_phrase_is_searched_by_its_beginning():
    groups, truncated = parse_query('"' + CJK[:150] + '"')
    assert truncated and len(groups) == 1 and len(groups[0][0]) == MAX_QUERY_TOKENS
