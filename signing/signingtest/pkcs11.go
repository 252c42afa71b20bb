//go:build cgo

package signingtest

import (
	"testing"

	"github.com/ThalesGroup/crypto11"

	"baocao/signing"
)

// Organization makes the organisation's RSA key inside the token c (from
// SoftHSM), has ca certify it as org's, and stores the certificate beside
// it under the same label, as an administrator would.
func (ca *CA) Organization(t testing.TB, c signing.PKCS11Config, org string) {
	t.Helper()
	ctx, err := crypto11.Configure(&crypto11.Config{Path: c.Module, TokenLabel: c.TokenLabel, Pin: c.PIN})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	id := []byte{1}
	kp, err := ctx.GenerateRSAKeyPairWithLabel(id, []byte(c.KeyLabel), 2048)
	if err != nil {
		t.Fatal(err)
	}
	cert := ca.Certify(t, kp.Public(), org, org)
	if err := ctx.ImportCertificateWithLabel(id, []byte(c.KeyLabel), cert); err != nil {
		t.Fatal(err)
	}
}
