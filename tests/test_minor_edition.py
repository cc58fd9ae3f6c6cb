"""The minor edition as the parent reads it (issue 25): a part that speaks to the parent, saying who "you" is
there, and a field for the custody order or parenting plan."""

from __future__ import annotations

import pytest

from tests.test_spanish import _form


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_parent_part_says_who_you_is_and_asks_which_custody_order(valid_answers, language):
    _, page = _form(valid_answers, "US-OH", "counselor", "minor", language=language)
    minors = page.split('<section id="minors"')[1].split("</section>")[0]
    part = minors.split("<h3>")[-1]
    heading, says = {"en": ("For the parent or guardian", '"you" means the parent or guardian'),
                     "es": ("Para el padre, la madre o el tutor legal", '"usted" es el padre, la madre')}[language]
    assert part.startswith(heading) and says in part
    assert 'name="custody_order"' in part  # a field to write which order or plan was given


def test_a_parent_who_need_not_sign_is_told_if_you_sign(valid_answers):
    # Ohio: a young person who agrees alone signs alone (minors.parent_signs: when_parent_consents); Iowa: a
    # parent signs for every minor client (required).
    _, oh = _form(valid_answers, "US-OH", "counselor", "minor", language="en")
    assert "If you sign this form, you agree that your child may start therapy" in oh
    _, ia = _form(valid_answers, "US-IA", "counselor", "minor", language="en")
    assert "By signing this form, you agree that your child may start therapy" in ia
