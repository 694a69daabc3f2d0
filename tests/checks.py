"""What the Python end-to-end tests share: a check that counts what failed, and the exit.

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from checks import check, finish
    check("the file opens", ok, detail)   # prints "ok   ..." or "FAIL ...  [detail]"
    finish()                              # the counts; exit status 1 if anything failed
"""

import sys

passed = 0
failed = 0


def check(what, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print("ok   " + what)
    else:
        failed += 1
        print("FAIL " + what + f"  [{str(detail).strip()[:400]}]")
    return bool(condition)


def finish():
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
