//go:build cgo

package signing

import (
	"crypto/x509"
	"fmt"
	"io"

	"github.com/ThalesGroup/crypto11"
)

// OpenPKCS11 opens the token and finds the key and certificate labelled
// c.KeyLabel (the chain: that certificate, then the other certificates of
// the token that issued it, if any). Close the returned closer when done.
func OpenPKCS11(c PKCS11Config) (*Key, io.Closer, error) {
	ctx, err := crypto11.Configure(&crypto11.Config{Path: c.Module, TokenLabel: c.TokenLabel, Pin: c.PIN})
	if err != nil {
		return nil, nil, fmt.Errorf("PKCS#11 token %q: %w", c.TokenLabel, err)
	}
	k, err := pkcs11Key(ctx, c.KeyLabel)
	if err != nil {
		_ = ctx.Close()
		return nil, nil, fmt.Errorf("PKCS#11 token %q: %w", c.TokenLabel, err)
	}
	return k, ctx, nil
}

func pkcs11Key(ctx *crypto11.Context, label string) (*Key, error) {
	signer, err := ctx.FindKeyPair(nil, []byte(label))
	if err != nil {
		return nil, err
	}
	if signer == nil {
		return nil, fmt.Errorf("no key labelled %q", label)
	}
	cert, err := ctx.FindCertificate(nil, []byte(label), nil)
	if err != nil {
		return nil, err
	}
	if cert == nil {
		return nil, fmt.Errorf("no certificate labelled %q", label)
	}
	// The intermediates, if the CA's are not in the token, are the
	// caller's to append (serve's --sign-chain).
	k := &Key{Signer: signer, Chain: []*x509.Certificate{cert}}
	return k, k.check()
}
