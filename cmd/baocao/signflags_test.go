//go:build !renderonly

package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"software.sslmate.com/src/go-pkcs12"

	"baocao/signing/signingtest"
)

// TestSignFlags: serve's signing settings from flags and files — a trust
// list, a PKCS#12 key whose password is in a file, a seal — and the
// settings that stop the start: a wrong password, a seal that is not a
// PNG, PKCS#12 and PKCS#11 at once.
func TestSignFlags(t *testing.T) {
	dir := t.TempDir()
	ca := signingtest.NewCA(t, "CA")
	trust := ca.TrustFile(t, dir)
	org := ca.Person(t, "Văn phòng UBND tỉnh", "Ủy ban nhân dân tỉnh Lai Châu")
	p12, err := pkcs12.Modern.Encode(org.Signer, org.Chain[0], org.Chain[1:], "mật khẩu")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	key := write("org.p12", p12)
	pass := write("pass", []byte("mật khẩu\n"))
	wrong := write("wrong", []byte("sai\n"))
	seal := write("seal.png", signingtest.RedSeal(100))
	parse := func(args ...string) error {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		f := addSignFlags(fs, &envReader{})
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		cfg, err := f.config()
		if err == nil && cfg != nil && cfg.OrgKey != nil {
			k, c, err := cfg.OrgKey()
			if err != nil || k.Certificate().Subject.CommonName != "Văn phòng UBND tỉnh" {
				t.Errorf("key: %v", err)
			}
			_ = c.Close()
		}
		return err
	}
	if err := parse("--trust", trust, "--sign-pkcs12", key, "--sign-pkcs12-password-file", pass, "--seal", seal); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--trust", trust, "--sign-pkcs12", key, "--sign-pkcs12-password-file", wrong}, "PKCS#12"},
		{[]string{"--trust", trust, "--seal", trust}, "not a PNG"},
		{[]string{"--trust", filepath.Join(dir, "none.pem")}, "trust list"},
		{[]string{"--sign-pkcs12", key, "--sign-pkcs11-module", "/x.so"}, "exclude each other"},
	} {
		if err := parse(tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
}
