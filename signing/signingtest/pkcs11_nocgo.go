//go:build !cgo

package signingtest

import (
	"os"
	"testing"

	"baocao/signing"
)

// Organization needs PKCS#11, which needs cgo: without it the test is
// skipped (a failure with BAOCAO_REQUIRE_TOOLS=1).
func (ca *CA) Organization(t testing.TB, c signing.PKCS11Config, org string) {
	t.Helper()
	if os.Getenv("BAOCAO_REQUIRE_TOOLS") == "1" {
		t.Fatal("PKCS#11 needs a build with cgo (CGO_ENABLED=1)")
	}
	t.Skip("PKCS#11 needs a build with cgo")
}
