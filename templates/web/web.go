// Package web holds the web pages' HTML templates and their style sheet,
// embedded in the binary: no build step, nothing fetched from the
// internet.
package web

import "embed"

// FS holds layout.html, one template per page and static/.
//
//go:embed *.html static
var FS embed.FS
