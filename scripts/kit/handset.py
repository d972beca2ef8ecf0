#!/usr/bin/env python3
"""What the callee's phone would show, from what reached it.

    handset.py call MESSAGES_LOG      the first INVITE a SIPp UAS received (-trace_msg log): the
                                      caller's display name and number, the RFC 9796 call reason and
                                      the jCard (RFC 7095) its Call-Info purpose=jcard points at
    handset.py sms SMSC_LOG DEST...   the SMS the SMSC accepted for each destination (the node-smpp
                                      simulator's JSON lines), as a handset shows them: the UCS2 parts
                                      of one message joined by their UDH reference (3GPP TS 23.040
                                      §9.2.3.24.1), a class 0 message (data_coding 0x18, 3GPP TS 23.038
                                      §4) marked as a flash SMS.
    handset.py whole SMSC_LOG N DEST...   exit 0 once at least N messages to DEST... are whole (quiet)
"""
import json
import re
import sys
import urllib.request


def first_invite(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    for block in re.split(r"\n-{20,}[^\n]*\n", "\n" + text):
        body = block.split("\n\n", 1)[-1] if "message received" in block else ""
        if body.startswith("INVITE "):
            head = body.split("\n\n", 1)[0]
            headers = {}
            for line in head.splitlines()[1:]:
                name, _, value = line.partition(":")
                headers.setdefault(name.strip().lower(), []).append(value.strip())
            return headers
    return None


def call(path):
    h = first_invite(path)
    if h is None:
        print("    (no INVITE reached the phone)")
        return 1
    from_value = h.get("from", [""])[0]
    m = re.match(r'\s*(?:"([^"]*)"|([^<]*?))\s*<sip:([^@;>]+)', from_value)
    display, number = ((m.group(1) or m.group(2) or "").strip(), m.group(3)) if m else ("", from_value)
    infos = h.get("call-info", [])
    card = next((i for i in infos if "purpose=jcard" in i), None)
    print("    screen:       %s" % (display or number))
    print("    number:       %s" % number)
    if card:
        reason = re.search(r'call-reason="([^"]*)"', card)
        url = re.search(r"<([^>]+)>", card)
        print("    call reason:  %s" % (reason.group(1) if reason else "(none)"))
        if url:
            try:
                with urllib.request.urlopen(url.group(1), timeout=10) as r:
                    jcard = json.load(r)
                props = {p[0]: p[3] for p in jcard[1]} if isinstance(jcard, list) and len(jcard) > 1 else {}
                print("    caller card:  %s, %s (jCard from %s)" % (props.get("fn", "?"), props.get("org", "?"), url.group(1)))
            except (OSError, ValueError) as e:
                print("    caller card:  %s (could not fetch: %s)" % (url.group(1), e))
    else:
        print("    call reason:  (none: no caller card)")
    pai = h.get("p-asserted-identity")
    print("    identity:     %s" % ("asserted (P-Asserted-Identity: %s)" % pai[0] if pai else "not asserted (no P-Asserted-Identity)"))
    return 0


def sms(path, destinations, show=True):
    messages = {}
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        s = json.loads(line)
        part = s.get("part") or {"ref": s["id"], "total": 1, "seq": 1}
        key = (s["destination"], part["ref"], s["dataCoding"])
        msg = messages.setdefault(key, {"total": part["total"], "parts": {}, "dc": s["dataCoding"], "at": s["at"],
                                        "source": s["source"]})
        msg["parts"][part["seq"]] = s["text"] or ""
    whole = 0
    for (dest, _, dc), msg in sorted(messages.items(), key=lambda kv: kv[1]["at"]):
        if not any(dest.endswith(d) for d in destinations):
            continue
        complete = len(msg["parts"]) == msg["total"]
        whole += complete
        flash = dc & 0x10 and (dc & 0x03) == 0
        coding = {0x08: "UCS2", 0x18: "UCS2", 0x00: "GSM 7-bit"}.get(dc, "data_coding 0x%02x" % dc)
        kind = "FLASH SMS (shown at once, not stored)" if flash else "SMS"
        parts = "%d part%s" % (msg["total"], "" if msg["total"] == 1 else "s joined")
        if show:
            print("  to %s from %s: %s, %s, %s%s" % (dest, msg["source"], kind, coding, parts, "" if complete else " (INCOMPLETE)"))
            text = "".join(msg["parts"].get(i, "[missing part %d]" % i) for i in range(1, msg["total"] + 1))
            print("    | " + text)
    return whole


if __name__ == "__main__":
    if sys.argv[1] == "call":
        sys.exit(call(sys.argv[2]))
    if sys.argv[1] == "whole":
        sys.exit(0 if sms(sys.argv[2], sys.argv[4:], show=False) >= int(sys.argv[3]) else 1)
    sms(sys.argv[2], sys.argv[3:])
