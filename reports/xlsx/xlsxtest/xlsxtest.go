// Package xlsxtest helps tests check workbooks as a spreadsheet computes
// them: every formula's cached value spoiled, then the workbook
// recalculated and saved by LibreOffice headless. Only tests import it.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// recalcProfile makes LibreOffice recalculate every formula on load.
const recalcProfile = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`

var cachedValue = regexp.MustCompile(`</f><v>[^<]*</v>`)

// SpoilCache sets the cached value of every formula of a workbook to -1,
// so that only a value a spreadsheet computes can be right; a workbook
// without a formula is an error.
func SpoilCache(data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	n := 0
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(zf.Name, "xl/worksheets/") {
			n += len(cachedValue.FindAll(b, -1))
			b = cachedValue.ReplaceAll(b, []byte("</f><v>-1</v>"))
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(b); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errors.New("no cached value to spoil")
	}
	return out.Bytes(), nil
}

// Profile writes, under dir, a LibreOffice user profile that recalculates
// every formula on load, and returns its directory (for
// -env:UserInstallation=file://…).
func Profile(dir string) (string, error) {
	profile := filepath.Join(dir, "profile")
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o755); err != nil {
		return "", err
	}
	err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(recalcProfile), 0o644)
	return profile, err
}

// Recalculate spoils the workbook's cached values and has LibreOffice
// (lo, the path of its binary) recalculate and save it in dir; it returns
// the saved workbook's bytes.
func Recalculate(lo, dir string, data []byte) ([]byte, error) {
	profile, err := Profile(dir)
	if err != nil {
		return nil, err
	}
	spoiled, err := SpoilCache(data)
	if err != nil {
		return nil, err
	}
	in := filepath.Join(dir, "bao-cao.xlsx")
	if err := os.WriteFile(in, spoiled, 0o644); err != nil {
		return nil, err
	}
	outDir := filepath.Join(dir, "libreoffice")
	cmd := exec.Command(lo, "--headless", "-env:UserInstallation=file://"+profile,
		"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", outDir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("libreoffice: %v\n%s", err, out)
	}
	out, err := os.ReadFile(filepath.Join(outDir, "bao-cao.xlsx"))
	if err != nil {
		return nil, fmt.Errorf("libreoffice wrote no workbook: %w", err)
	}
	return out, nil
}
