package signingtest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"software.sslmate.com/src/go-pkcs12"

	"baocao/signing"
)

var update = flag.Bool("update", false, "write testdata/signing again")

// demoDir holds the demo's signing files: a CA, the organisation's
// PKCS#12 key and its password, a seal (README "Digital signatures and
// PDF/A"). They are for trying baocao out: a key in a repository
// protects nothing.
const demoDir = "../../testdata/signing"

// TestDemoFiles: the demo files load as serve loads them (go test
// ./signing/signingtest -run TestDemoFiles -update writes them again).
func TestDemoFiles(t *testing.T) {
	if *update {
		writeDemo(t)
	}
	trust, err := signing.LoadTrust(filepath.Join(demoDir, "ca.pem"))
	if err != nil || trust.Roots != 1 || trust.Intermediates != 1 {
		t.Fatalf("trust: %+v %v", trust, err)
	}
	pass, err := os.ReadFile(filepath.Join(demoDir, "to-chuc.p12.pass"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := signing.LoadPKCS12(filepath.Join(demoDir, "to-chuc.p12"), string(bytes.TrimSpace(pass)))
	if err != nil {
		t.Fatal(err)
	}
	if k.Certificate().Subject.CommonName != "Ủy ban nhân dân tỉnh Lai Châu (thử nghiệm)" || len(k.Chain) != 2 {
		t.Errorf("key: %v, %d certificates", k.Certificate().Subject, len(k.Chain))
	}
}

func writeDemo(t *testing.T) {
	ca := NewCA(t, "baocao demo CA (không dùng thật)")
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cert := ca.Certify(t, key.Public(), "Ủy ban nhân dân tỉnh Lai Châu (thử nghiệm)", "Ủy ban nhân dân tỉnh Lai Châu")
	p12, err := pkcs12.Modern.Encode(key, cert, []*x509.Certificate{ca.Intermediate}, "baocao-demo")
	if err != nil {
		t.Fatal(err)
	}
	var trust bytes.Buffer
	for _, c := range []*x509.Certificate{ca.Root, ca.Intermediate} {
		_ = pem.Encode(&trust, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	for name, data := range map[string][]byte{"ca.pem": trust.Bytes(), "to-chuc.p12": p12,
		"to-chuc.p12.pass": []byte("baocao-demo\n"), "con-dau.png": RedSeal(400)} {
		if err := os.WriteFile(filepath.Join(demoDir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
