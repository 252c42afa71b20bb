// Package signingtest makes what the signing tests need: a throwaway
// certification authority, certificates issued by it, an organisation key
// and certificate inside a SoftHSM2 token reached through PKCS#11, and the
// images of a handwritten signature and of a seal.
package signingtest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"baocao/signing"
)

// CA is a throwaway certification authority: a root and an intermediate
// that issues end-entity certificates.
type CA struct {
	Root, Intermediate *x509.Certificate
	rootKey, interKey  crypto.Signer
}

var serial int64 = 100

func next() *big.Int { serial++; return big.NewInt(serial) }

// NewCA makes a root "name Root CA" and its intermediate.
func NewCA(t testing.TB, name string) *CA {
	t.Helper()
	rk, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	root := &x509.Certificate{SerialNumber: next(), Subject: pkix.Name{CommonName: name + " Root CA", Organization: []string{name}},
		NotBefore: now.AddDate(-10, 0, 0), NotAfter: now.AddDate(10, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	rc := create(t, root, root, rk.Public(), rk)
	ik, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	inter := &x509.Certificate{SerialNumber: next(), Subject: pkix.Name{CommonName: name + " Issuing CA", Organization: []string{name}},
		NotBefore: now.AddDate(-10, 0, 0), NotAfter: now.AddDate(10, 0, 0), IsCA: true, BasicConstraintsValid: true, MaxPathLen: 0, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	ic := create(t, inter, rc, ik.Public(), rk)
	return &CA{Root: rc, Intermediate: ic, rootKey: rk, interKey: ik}
}

func create(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) *x509.Certificate {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Certify issues a document-signing certificate for pub.
func (ca *CA) Certify(t testing.TB, pub crypto.PublicKey, name, org string) *x509.Certificate {
	t.Helper()
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: next(), Subject: pkix.Name{CommonName: name, Organization: []string{org}, Country: []string{"VN"}},
		NotBefore: now.AddDate(-5, 0, 0), NotAfter: now.AddDate(5, 0, 0),
		KeyUsage:           x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:        []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage: []asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 36}}} // document signing (RFC 9336)
	return create(t, tmpl, ca.Intermediate, pub, ca.interKey)
}

// Person is a signer's RSA key and certificate (with the intermediate).
func (ca *CA) Person(t testing.TB, name, org string) *signing.Key {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return &signing.Key{Signer: k, Chain: []*x509.Certificate{ca.Certify(t, k.Public(), name, org), ca.Intermediate}}
}

// TrustFile writes the CA's root and intermediate to a PEM file in dir.
func (ca *CA) TrustFile(t testing.TB, dir string) string {
	t.Helper()
	var b bytes.Buffer
	for _, c := range []*x509.Certificate{ca.Root, ca.Intermediate} {
		_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	p := filepath.Join(dir, "trust.pem")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Trust is a trust list of the CA's root (the intermediate travels in
// the signatures).
func (ca *CA) Trust(t testing.TB) *signing.Trust {
	tr, err := signing.LoadTrust(ca.TrustFile(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// SoftHSMModule is Debian's softhsm2 PKCS#11 library.
const SoftHSMModule = "/usr/lib/softhsm/libsofthsm2.so"

// NeedSoftHSM skips t when softhsm2 is missing, unless
// BAOCAO_REQUIRE_TOOLS=1, where that is a failure.
func NeedSoftHSM(t testing.TB) {
	t.Helper()
	_, err1 := os.Stat(SoftHSMModule)
	_, err2 := exec.LookPath("softhsm2-util")
	if err1 != nil || err2 != nil {
		if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
			t.Fatal("softhsm2 is required (BAOCAO_REQUIRE_TOOLS=1): run .ci/install-deps")
		}
		t.Skip("softhsm2 not installed")
	}
}

// SoftHSM makes a SoftHSM2 token in a temporary directory (SOFTHSM2_CONF
// is set for the test) and returns how to reach it; Organization puts a
// key and certificate into it.
func SoftHSM(t testing.TB) signing.PKCS11Config {
	t.Helper()
	NeedSoftHSM(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "softhsm2.conf")
	if err := os.MkdirAll(filepath.Join(dir, "tokens"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	c := signing.PKCS11Config{Module: SoftHSMModule, TokenLabel: "baocao-test", PIN: "1234", KeyLabel: "to-chuc"}
	out, err := exec.Command("softhsm2-util", "--init-token", "--free", "--label", c.TokenLabel, "--so-pin", "5678", "--pin", c.PIN).CombinedOutput()
	if err != nil {
		t.Fatalf("softhsm2-util: %v\n%s", err, out)
	}
	return c
}

// BlueSignature is a handwritten-looking signature: blue strokes on a
// transparent background, w×h pixels.
func BlueSignature(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	blue := color.NRGBA{R: 0x10, G: 0x30, B: 0xC0, A: 0xFF}
	for x := w / 10; x < w*9/10; x++ {
		fx := float64(x) / float64(w)
		y := float64(h)/2 + float64(h)/4*math.Sin(fx*4*math.Pi) + float64(h)/8*math.Cos(fx*11)
		for d := -2; d <= 2; d++ {
			img.Set(x, int(y)+d, blue)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// RedSeal is a round seal: red rings and a star on a transparent
// background, size×size pixels.
func RedSeal(size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	red := color.NRGBA{R: 0xD0, G: 0x10, B: 0x10, A: 0xE0}
	c := float64(size) / 2
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			dx, dy := float64(x)-c+0.5, float64(y)-c+0.5
			r := math.Hypot(dx, dy) / c
			a := math.Atan2(dy, dx)
			star := r < 0.3*(0.6+0.4*math.Cos(5*(a+math.Pi/2)))
			if (r > 0.92 && r < 0.99) || (r > 0.68 && r < 0.71) || star ||
				(r > 0.74 && r < 0.88 && int((a+math.Pi)*18/math.Pi)%2 == 0) {
				img.Set(x, y, red)
			}
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}
