"""Users as the office looks them up."""

from __future__ import annotations


def test_users_are_listed_by_name_not_by_title():
    from app.services.users import without_title
    from app.thai import thai_sort_key

    names = ["นางสาวปิยะนุช จันทร์หอม", "นายธนากร ศรีวิชัย", "นางกาญจนา พูลสวัสดิ์", "ดร.สมชาย ใจดี"]
    ordered = sorted(names, key=lambda n: thai_sort_key(without_title(n)))
    assert ordered == ["นางกาญจนา พูลสวัสดิ์", "นายธนากร ศรีวิชัย", "นางสาวปิยะนุช จันทร์หอม", "ดร.สมชาย ใจดี"]
