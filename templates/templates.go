// Package templates holds the Markdown templates of generated documents
// (the periodic report's body), embedded in the binary and overridable from
// a directory. A template that does not parse is refused at load with its
// file and line.
package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
)

//go:embed *.md.tmpl
var embedded embed.FS

// Names of the templates.
const (
	PeriodicReport = "bao-cao-dinh-ky.md.tmpl"
)

// Set is a loaded set of templates.
type Set struct {
	byName map[string]*template.Template
}

// Load parses the embedded templates, each replaced by a file of the same
// name in dir when dir is not empty.
func Load(dir string, funcs template.FuncMap) (*Set, error) {
	s := &Set{byName: map[string]*template.Template{}}
	names, err := fs.Glob(embedded, "*.md.tmpl")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		src, err := embedded.ReadFile(name)
		if err != nil {
			return nil, err
		}
		origin := "embedded " + name
		if dir != "" {
			p := filepath.Join(dir, name)
			if b, err := os.ReadFile(p); err == nil {
				src, origin = b, p
			} else if !os.IsNotExist(err) {
				return nil, fmt.Errorf("template %s: %w", p, err)
			}
		}
		t, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(string(src))
		if err != nil {
			// text/template reports "template: NAME:LINE: …"; say which file.
			return nil, fmt.Errorf("template %s does not parse: %s", origin, strings.TrimPrefix(err.Error(), "template: "))
		}
		s.byName[name] = t
	}
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("templates directory: %w", err)
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".tmpl") && s.byName[e.Name()] == nil {
				return nil, fmt.Errorf("template %s: unknown template name (known: %s)", filepath.Join(dir, e.Name()), strings.Join(names, ", "))
			}
		}
	}
	return s, nil
}

// Execute runs the named template.
func (s *Set) Execute(name string, data any) (string, error) {
	t := s.byName[name]
	if t == nil {
		return "", fmt.Errorf("no template %q", name)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("template %s: %w", name, err)
	}
	return b.String(), nil
}
