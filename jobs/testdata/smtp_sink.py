"""A real SMTP server for the jobs tests (aiosmtpd, Debian's
python3-aiosmtpd): it listens on 127.0.0.1 at the port given and writes
each message it accepts to the directory given, as NNNN.eml (the message
as received) and NNNN.json (the envelope). It prints "ready" once it
accepts connections and stops when its standard input closes. With a
certificate and key (PEM files) as third and fourth arguments it requires
STARTTLS and a login (user "baocao", password "smtp-mat-khau") before mail,
and records in the envelope whether the session was encrypted and
authenticated."""
import json
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.outdir, "%04d" % self.n)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json.tmp", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "tls": session.ssl is not None, "auth": bool(session.authenticated)}, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        os.rename(base + ".json.tmp", base + ".json")
        return "250 OK"


def login(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"baocao" and auth_data.password == b"smtp-mat-khau"
    return AuthResult(success=ok)


def main():
    port, outdir = int(sys.argv[1]), sys.argv[2]
    kw = {}
    if len(sys.argv) > 4:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        kw = dict(tls_context=ctx, require_starttls=True, auth_required=True, authenticator=login)
    c = Controller(Sink(outdir), hostname="127.0.0.1", port=port, enable_SMTPUTF8=True, **kw)
    c.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        c.stop()


if __name__ == "__main__":
    main()
