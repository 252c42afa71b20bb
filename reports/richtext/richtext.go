// Package richtext turns the Markdown of document bodies and table cells
// into a flat list of styled blocks that both renderers lay out: headings,
// paragraphs and list items made of bold/italic runs.
package richtext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Kind is the kind of a block.
type Kind int

// Block kinds.
const (
	Paragraph Kind = iota
	Heading
	ListItem
)

// Run is a piece of text in one style. A Break run ends a line inside a
// paragraph.
type Run struct {
	Text   string
	Bold   bool
	Italic bool
	Break  bool
}

// Block is a paragraph, a heading (Level 2 for "## I. …", 3 for "### 1. …",
// 4 and more below) or a list item (Level is its depth, from 1; Marker is
// "- ", "+ " or "3. ").
type Block struct {
	Kind   Kind
	Level  int
	Marker string
	Runs   []Run
}

// Text is the block's text without styles, marker included.
func (b Block) Text() string {
	var s strings.Builder
	s.WriteString(b.Marker)
	for _, r := range b.Runs {
		if r.Break {
			s.WriteByte('\n')
		} else {
			s.WriteString(r.Text)
		}
	}
	return s.String()
}

var md = goldmark.New()

// Parse reads Markdown into blocks.
func Parse(src string) []Block {
	if src == "" {
		return nil
	}
	if plainLine(src) {
		// Most table cells are one line of plain text: what goldmark would
		// make of it, without parsing (a tenth of a 1,000-task render).
		// The block and its run in one allocation.
		one := &struct {
			b [1]Block
			r [1]Run
		}{}
		one.r[0] = Run{Text: src}
		one.b[0] = Block{Kind: Paragraph, Runs: one.r[:]}
		return one.b[:]
	}
	if blocks, ok := simpleCell(src); ok {
		return blocks
	}
	return parseMarkdown(src)
}

// simpleCell reads the other common shapes of a cell without goldmark:
// one-line paragraphs separated by a blank line and "- " list items, one a
// line, whose text is plain but for *italic* spans. It gives what goldmark
// gives (TestFastPathShapes, FuzzFastPath), or ok false when the text is
// anything else.
func simpleCell(src string) (blocks []Block, ok bool) {
	if src == "" || strings.Contains(src, "\n\n\n") || src[0] == '\n' || src[len(src)-1] == '\n' {
		return nil, false
	}
	n := strings.Count(src, "\n") + 1
	blocks = make([]Block, 0, n)
	prev := 0 // 0: start or after a blank line, 1: after a paragraph, 2: after a list item
	for rest := src; rest != ""; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		switch {
		case line == "":
			prev = 0
		case strings.HasPrefix(line, "- "):
			if prev == 1 {
				return nil, false // a list right under a paragraph
			}
			runs, ok := simpleLine(line[2:])
			if !ok {
				return nil, false
			}
			blocks = append(blocks, Block{Kind: ListItem, Level: 1, Marker: "- ", Runs: runs})
			prev = 2
		default:
			if prev != 0 {
				return nil, false // a paragraph of several lines, or a list item's continuation
			}
			runs, ok := simpleLine(line)
			if !ok {
				return nil, false
			}
			blocks = append(blocks, Block{Kind: Paragraph, Runs: runs})
			prev = 1
		}
	}
	return blocks, len(blocks) > 0
}

// simpleLine is the runs of one line that is plain text (plainLine) but
// for *italic* spans whose opening star follows a space or the line's
// start and precedes a letter or digit, and whose closing star follows a
// letter, a digit or a closing punctuation mark and precedes a space or
// the line's end: spans that CommonMark cannot read another way.
func simpleLine(line string) ([]Run, bool) {
	if strings.IndexByte(line, '*') < 0 {
		if !plainLine(line) {
			return nil, false
		}
		return []Run{{Text: line}}, true
	}
	// The line without its stars must be plain, and so must its start
	// (a line starting with a star is checked from its first word).
	if !plainLine(strings.ReplaceAll(line, "*", "x")) {
		return nil, false
	}
	var runs []Run
	from, open := 0, -1
	for i := 0; i < len(line); i++ {
		if line[i] != '*' {
			continue
		}
		if open < 0 {
			if i > 0 && line[i-1] != ' ' {
				return nil, false
			}
			r, _ := utf8.DecodeRuneInString(line[i+1:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return nil, false
			}
			if i > from {
				runs = append(runs, Run{Text: line[from:i]})
			}
			open, from = i, i+1
			continue
		}
		if i+1 < len(line) && line[i+1] != ' ' {
			return nil, false
		}
		r, _ := utf8.DecodeLastRuneInString(line[:i])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(".,;:)?%", r) {
			return nil, false
		}
		runs = append(runs, Run{Text: line[from:i], Italic: true})
		open, from = -1, i+1
	}
	if open >= 0 {
		return nil, false
	}
	if from < len(line) {
		runs = append(runs, Run{Text: line[from:]})
	}
	return runs, true
}

func parseMarkdown(src string) []Block {
	source := []byte(src)
	root := md.Parser().Parse(text.NewReader(source))
	p := &parser{src: source}
	p.blocks(root, 0)
	return p.out
}

// Plain is the text of Markdown without markup, one block per line.
func Plain(src string) string {
	var lines []string
	for _, b := range Parse(src) {
		lines = append(lines, b.Text())
	}
	return strings.Join(lines, "\n")
}

type parser struct {
	src []byte
	out []Block
	// marker waits for the first block of a list item.
	marker string
	depth  int
}

func (p *parser) blocks(n ast.Node, depth int) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Heading:
			p.emit(Block{Kind: Heading, Level: c.Level}, c)
		case *ast.Paragraph, *ast.TextBlock:
			if p.marker != "" {
				p.emit(Block{Kind: ListItem, Level: p.depth, Marker: p.marker}, c)
				p.marker = ""
			} else if depth > 0 {
				// A later paragraph of a list item: indented like the item.
				p.emit(Block{Kind: ListItem, Level: depth}, c)
			} else {
				p.emit(Block{Kind: Paragraph}, c)
			}
		case *ast.List:
			n := c.Start
			for it := c.FirstChild(); it != nil; it = it.NextSibling() {
				if c.IsOrdered() {
					p.marker = fmt.Sprintf("%d%c ", n, c.Marker)
					n++
				} else {
					p.marker = string(c.Marker) + " "
				}
				p.depth = depth + 1
				p.blocks(it, depth+1)
				if p.marker != "" { // an empty item
					p.out = append(p.out, Block{Kind: ListItem, Level: depth + 1, Marker: p.marker})
					p.marker = ""
				}
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			lines := c.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				t := strings.TrimRight(string(seg.Value(p.src)), "\r\n")
				if strings.TrimSpace(t) != "" {
					p.out = append(p.out, Block{Kind: Paragraph, Runs: []Run{{Text: t}}})
				}
			}
		case *ast.ThematicBreak:
		default: // blockquotes and the like: their paragraphs
			p.blocks(c, depth)
		}
	}
}

func (p *parser) emit(b Block, n ast.Node) {
	p.inline(n, &b, false, false)
	// Trim spaces at the edges, merge neighbours of the same style (each
	// group joined once: adding them one by one would copy the text again
	// for every piece, quadratic in a paragraph of many code spans).
	var runs []Run
	for i := 0; i < len(b.Runs); {
		r := b.Runs[i]
		j := i + 1
		if !r.Break {
			n := len(r.Text)
			for j < len(b.Runs) && !b.Runs[j].Break && b.Runs[j].Bold == r.Bold && b.Runs[j].Italic == r.Italic {
				n += len(b.Runs[j].Text)
				j++
			}
			if j > i+1 {
				var t strings.Builder
				t.Grow(n)
				for _, m := range b.Runs[i:j] {
					t.WriteString(m.Text)
				}
				r.Text = t.String()
			}
		}
		runs = append(runs, r)
		i = j
	}
	if len(runs) > 0 && !runs[0].Break {
		runs[0].Text = strings.TrimLeft(runs[0].Text, " ")
	}
	if k := len(runs) - 1; k >= 0 && !runs[k].Break {
		runs[k].Text = strings.TrimRight(runs[k].Text, " ")
	}
	b.Runs = runs
	p.out = append(p.out, b)
}

func (p *parser) inline(n ast.Node, b *Block, bold, italic bool) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			// The segment keeps Markdown's backslash escapes ("1\\. ").
			t := util.UnescapePunctuations(c.Segment.Value(p.src))
			b.Runs = append(b.Runs, Run{Text: string(t), Bold: bold, Italic: italic})
			switch {
			case c.HardLineBreak():
				b.Runs = append(b.Runs, Run{Break: true})
			case c.SoftLineBreak():
				b.Runs = append(b.Runs, Run{Text: " ", Bold: bold, Italic: italic})
			}
		case *ast.String:
			b.Runs = append(b.Runs, Run{Text: string(c.Value), Bold: bold, Italic: italic})
		case *ast.Emphasis:
			p.inline(c, b, bold || c.Level >= 2, italic || c.Level == 1)
		case *ast.CodeSpan, *ast.Link, *ast.Image:
			p.inline(c, b, bold, italic)
		case *ast.AutoLink:
			b.Runs = append(b.Runs, Run{Text: string(c.Label(p.src)), Bold: bold, Italic: italic})
		case *ast.RawHTML:
			// Inline HTML is printed as the text it is, never interpreted.
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				b.Runs = append(b.Runs, Run{Text: string(seg.Value(p.src)), Bold: bold, Italic: italic})
			}
		default:
			p.inline(c, b, bold, italic)
		}
	}
}

// notPlain marks the bytes plainLine refuses: markup and control
// characters (one look-up a byte instead of a switch).
var notPlain = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	for _, c := range []byte("\\*_`[]<>&#~|!=\x7f") {
		t[c] = true
	}
	return t
}()

// plainLine reports whether src is one line that Markdown reads as a
// paragraph of plain text, unchanged: no character that could start a
// block or markup (or an entity, an escape, HTML), no control characters,
// no spaces at its ends.
func plainLine(src string) bool {
	for i := 0; i < len(src); i++ {
		if notPlain[src[i]] {
			return false
		}
	}
	if !utf8.ValidString(src) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(src)
	last, _ := utf8.DecodeLastRuneInString(src)
	if unicode.IsSpace(first) || unicode.IsSpace(last) || first == '-' || first == '+' || first == utf8.RuneError {
		return false
	}
	// "12." or "3)" starts an ordered list.
	j := 0
	for j < len(src) && src[j] >= '0' && src[j] <= '9' {
		j++
	}
	return j == 0 || j == len(src) || (src[j] != '.' && src[j] != ')')
}
