package signing

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"

	"github.com/digitorus/pdf"
)

// The PDF reader (github.com/digitorus/pdf) parses nested arrays and
// dictionaries recursively, and Go's stack overflow is fatal, not a panic
// that can be caught: a hostile file of a few megabytes of "[" would stop
// the whole server. guard refuses such files before they are read: it
// follows the nesting of arrays and dictionaries over the file's bytes
// and over the decompressed content of its object streams (where objects
// may hide), skipping strings, comments and other streams.

// maxNesting is the deepest nesting of arrays and dictionaries accepted;
// real documents stay far below it.
const maxNesting = 100

// maxObjStm bounds what the object streams of one file may decompress to.
const maxObjStm = 64 << 20

func guard(data []byte) error {
	if err := nesting(data, true); err != nil {
		return err
	}
	budget := int64(maxObjStm)
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("/ObjStm"))
		if j < 0 {
			return nil
		}
		i += j + len("/ObjStm")
		body, ok := streamAfter(data, i)
		if !ok {
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			continue // not deflated: the reader will refuse or read it as it is
		}
		plain, err := io.ReadAll(io.LimitReader(zr, budget+1))
		if int64(len(plain)) > budget {
			return notPDF("object streams decompress to more than 64 MB")
		}
		budget -= int64(len(plain))
		if err := nesting(plain, false); err != nil {
			return err
		}
		_ = err // a truncated stream: what was read is checked
	}
}

// streamAfter is the data of the first stream that starts after i.
func streamAfter(data []byte, i int) ([]byte, bool) {
	k := bytes.Index(data[i:], []byte("stream"))
	if k < 0 {
		return nil, false
	}
	start := i + k + len("stream")
	if start < len(data) && data[start] == '\r' {
		start++
	}
	if start < len(data) && data[start] == '\n' {
		start++
	}
	end := bytes.Index(data[start:], []byte("endstream"))
	if end < 0 {
		return data[start:], true
	}
	return data[start : start+end], true
}

// nesting refuses data whose arrays and dictionaries nest deeper than
// maxNesting; with streams, the content of streams is skipped.
func nesting(data []byte, streams bool) error {
	depth := 0
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '%': // a comment, to the end of the line
			for i < len(data) && data[i] != '\n' && data[i] != '\r' {
				i++
			}
		case '(': // a literal string, with balanced parentheses and escapes
			n := 1
			for i++; i < len(data) && n > 0; i++ {
				switch data[i] {
				case '\\':
					i++
				case '(':
					n++
				case ')':
					n--
				}
			}
			i--
		case '<':
			if i+1 < len(data) && data[i+1] == '<' {
				depth++
				i++
			} else { // a hexadecimal string
				for i < len(data) && data[i] != '>' {
					i++
				}
			}
		case '>':
			if i+1 < len(data) && data[i+1] == '>' {
				depth--
				i++
			}
		case '[':
			depth++
		case ']':
			depth--
		case 's':
			if streams && bytes.HasPrefix(data[i:], []byte("stream")) && i > 0 && !isRegular(data[i-1]) &&
				i+6 < len(data) && (data[i+6] == '\r' || data[i+6] == '\n') {
				end := bytes.Index(data[i+6:], []byte("endstream"))
				if end < 0 {
					return nil
				}
				i += 6 + end + len("endstream") - 1
			}
		}
		if depth > maxNesting {
			return notPDF(fmt.Sprintf("arrays and dictionaries nested deeper than %d", maxNesting))
		}
		if depth < 0 {
			depth = 0
		}
	}
	return nil
}

// isRegular reports whether c is a regular character (not white space
// nor a delimiter) of PDF syntax.
func isRegular(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ', '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return false
	}
	return true
}

// maxPages bounds the nodes of a page tree that is walked.
const maxPages = 100000

// pages lists the page objects of rdr's page tree in order, walking it
// without recursion and refusing a tree with a cycle (a kid that is its
// own ancestor would send the reader round for ever) or too many nodes.
func pages(rdr *pdf.Reader) ([]pdf.Value, error) {
	type frame struct {
		kids pdf.Value
		next int
	}
	root := rdr.Trailer().Key("Root").Key("Pages")
	seen := map[[2]uint32]bool{}
	mark := func(v pdf.Value) error {
		ptr := v.GetPtr()
		if ptr.GetID() == 0 {
			return nil // a direct object cannot be its own ancestor
		}
		p := [2]uint32{ptr.GetID(), uint32(ptr.GetGen())}
		if seen[p] {
			return notPDF("the page tree has a cycle")
		}
		seen[p] = true
		if len(seen) > maxPages {
			return notPDF("the page tree is too large")
		}
		return nil
	}
	if err := mark(root); err != nil {
		return nil, err
	}
	var out []pdf.Value
	stack := []frame{{kids: root.Key("Kids")}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next >= top.kids.Len() {
			stack = stack[:len(stack)-1]
			continue
		}
		kid := top.kids.Index(top.next)
		top.next++
		if err := mark(kid); err != nil {
			return nil, err
		}
		switch kid.Key("Type").Name() {
		case "Pages":
			if len(stack) > maxNesting {
				return nil, notPDF("the page tree is too deep")
			}
			stack = append(stack, frame{kids: kid.Key("Kids")})
		case "Page":
			out = append(out, kid)
		}
	}
	return out, nil
}
