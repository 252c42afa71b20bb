package pdf

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"baocao/fonts"
	"baocao/reports/doc"
	"baocao/reports/sample"
)

// bodyWords are the words the generated bodies are made of.
var bodyWords = strings.Fields("Thông tin, tuyên truyền kịp thời các chủ trương, chính sách của Đảng, pháp luật của Nhà nước về công tác cải cách hành chính; nâng cao nhận thức của cán bộ, công chức, viên chức và Nhân dân về dịch vụ công trực tuyến toàn trình.")

// bodyConstructs make a Markdown body of about n characters of one
// construct.
var bodyConstructs = []struct {
	name string
	make func(n int) string
}{
	// paragraphs of about 600 characters
	{"paragraphs", func(n int) string { return bodyOf(n, 600, "\n\n", func(i int, w string) string { return w }) }},
	// one paragraph of all the text
	{"one-paragraph", func(n int) string { return bodyOf(n, 0, "", func(i int, w string) string { return w }) }},
	// list items of about 100 characters, every third one nested
	{"lists", func(n int) string {
		k := 0
		return bodyOf(n, 100, "\n", func(i int, w string) string {
			if i == 0 {
				k++
				if k%3 == 0 {
					return "  - " + w
				}
				return "- " + w
			}
			return w
		})
	}},
	// one paragraph, every other word italic or bold
	{"emphasis", func(n int) string {
		return bodyOf(n, 0, "", func(i int, w string) string {
			switch i % 4 {
			case 1:
				return "*" + w + "*"
			case 3:
				return "**" + w + "**"
			}
			return w
		})
	}},
	// one paragraph, every other word an inline code span
	{"code", func(n int) string {
		return bodyOf(n, 0, "", func(i int, w string) string {
			if i%2 == 1 {
				return "`" + w + "`"
			}
			return w
		})
	}},
	// one word of all the text, cut between characters line by line
	{"long-word", func(n int) string {
		return strings.Repeat("Nhiệmvụ", n/7)
	}},
	// a run of spaces (kept, as in a draft's blank "số      /KH") half
	// the text long, between paragraphs of words
	{"spaces", func(n int) string {
		half := bodyOf(n/4, 600, "\n\n", func(i int, w string) string { return w })
		return half + " x" + strings.Repeat(" ", n/2) + "y " + half
	}},
}

// bodyOf joins words, each passed through word(i, w) (i counts from 0
// in each block), into blocks of about per characters separated by sep
// (per 0: one block), to about n characters.
func bodyOf(n, per int, sep string, word func(i int, w string) string) string {
	var b strings.Builder
	chars, block, i := 0, 0, 0
	for k := 0; chars < n; k++ {
		w := word(i, bodyWords[k%len(bodyWords)])
		if i > 0 {
			b.WriteByte(' ')
			chars++
		}
		b.WriteString(w)
		chars += utf8.RuneCountInString(w)
		block += utf8.RuneCountInString(w) + 1
		i++
		if per > 0 && block >= per {
			b.WriteString(sep)
			chars += len(sep)
			block, i = 0, 0
		}
	}
	return b.String()
}

// BenchmarkBodyConstructs renders a plan whose body is 200,000 to
// 1,000,000 characters (the limit) of one Markdown construct: time and
// memory grow linearly with the size.
func BenchmarkBodyConstructs(b *testing.B) {
	fam, _ := fonts.Default()
	r := New(fam)
	for _, c := range bodyConstructs {
		for _, n := range []int{200_000, 400_000, 800_000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/%dk", c.name, n/1000), func(b *testing.B) {
				d := bodyPlan(c.make(n))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := r.Document(context.Background(), d); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// bodyPlan is a plan without appendices whose body is body.
func bodyPlan(body string) *doc.Document {
	d := sample.Plan(1)
	d.Appendices = nil
	d.Body = body
	return d
}

// TestRenderStops: a render whose context ends returns the context's
// error, not a truncated file, from the body's typesetting and from a
// table's rows alike.
func TestRenderStops(t *testing.T) {
	fam, _ := fonts.Default()
	r := New(fam)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if out, err := r.Document(ctx, sample.Plan(10)); err != context.Canceled || out != nil {
		t.Fatalf("cancelled before: %v, %d bytes", err, len(out))
	}
	for _, c := range bodyConstructs {
		d := bodyPlan(c.make(200_000))
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		out, err := r.Document(ctx, d)
		cancel()
		if err != context.DeadlineExceeded || out != nil {
			t.Errorf("%s: %v, %d bytes", c.name, err, len(out))
		}
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if out, err := r.Appendix(ctx, sample.Plan(3000)); err != context.DeadlineExceeded || out != nil {
		t.Errorf("table: %v, %d bytes", err, len(out))
	}
}
