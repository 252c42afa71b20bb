// Package signing signs and verifies PDF documents as PAdES (ETSI EN 319
// 142-1, baseline B, and B-T with a timestamp from an RFC 3161 authority):
// a CMS SignedData (SubFilter ETSI.CAdES.detached) whose signed attributes
// are the content type, the message digest and the ESS signing-certificate-v2
// (no signing-time attribute: the claimed time is the signature
// dictionary's /M), each signature an incremental update of the file.
//
// Keys come from a PKCS#12 file (LoadPKCS12) or a PKCS#11 token
// (OpenPKCS11: a hardware module, a USB token, SoftHSM2). Verify reports
// who signed a file, when, whether each signature is valid and covers the
// whole file (or which revision), whether its certificate chains to the
// trust list an administrator configures (LoadTrust), and the SHA-256 of the
// file's first revision, which tells a document baocao issued.
//
// The incremental update is written by a patched copy of
// github.com/digitorus/pdfsign (internal/pdfsign, see its README).
package signing

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
)

// Key is a signing key and its certificate chain: Chain[0] is the
// signer's certificate, then the intermediates (the root may follow).
type Key struct {
	Signer crypto.Signer
	Chain  []*x509.Certificate
}

// Certificate is the signer's certificate.
func (k *Key) Certificate() *x509.Certificate { return k.Chain[0] }

func (k *Key) check() error {
	if k == nil || k.Signer == nil || len(k.Chain) == 0 {
		return errors.New("no signing key or certificate")
	}
	if !publicKeysEqual(k.Signer.Public(), k.Chain[0].PublicKey) {
		return errors.New("the signing key does not belong to the certificate")
	}
	return nil
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}

// ErrNotPDF refuses input that is not a PDF baocao can read.
var ErrNotPDF = errors.New("not a PDF file that can be read")

// notPDF wraps why a file could not be read.
func notPDF(why any) error { return fmt.Errorf("%w: %v", ErrNotPDF, why) }
