//go:build !cgo

package signing

import "io"

// OpenPKCS11 needs cgo (the PKCS#11 module is a C library).
func OpenPKCS11(c PKCS11Config) (*Key, io.Closer, error) { return nil, nil, errNoPKCS11 }
