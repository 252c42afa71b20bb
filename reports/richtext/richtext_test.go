package richtext

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	got := Parse("## I. MỤC ĐÍCH\n\n### 1. Mục đích\n\nĐoạn **đậm** và *nghiêng* (*Có phụ lục*).\\\nDòng hai\n\n- một;\n- hai\n\n  + con\n\n1\\. Đoạn có số\n\n3. danh sách\n4. có số\n\n<i>html</i>")
	want := []Block{
		{Kind: Heading, Level: 2, Runs: []Run{{Text: "I. MỤC ĐÍCH"}}},
		{Kind: Heading, Level: 3, Runs: []Run{{Text: "1. Mục đích"}}},
		{Kind: Paragraph, Runs: []Run{{Text: "Đoạn "}, {Text: "đậm", Bold: true}, {Text: " và "}, {Text: "nghiêng", Italic: true},
			{Text: " ("}, {Text: "Có phụ lục", Italic: true}, {Text: ")."}, {Break: true}, {Text: "Dòng hai"}}},
		{Kind: ListItem, Level: 1, Marker: "- ", Runs: []Run{{Text: "một;"}}},
		{Kind: ListItem, Level: 1, Marker: "- ", Runs: []Run{{Text: "hai"}}},
		{Kind: ListItem, Level: 2, Marker: "+ ", Runs: []Run{{Text: "con"}}},
		{Kind: Paragraph, Runs: []Run{{Text: "1. Đoạn có số"}}},
		{Kind: ListItem, Level: 1, Marker: "3. ", Runs: []Run{{Text: "danh sách"}}},
		{Kind: ListItem, Level: 1, Marker: "4. ", Runs: []Run{{Text: "có số"}}},
		{Kind: Paragraph, Runs: []Run{{Text: "<i>html</i>"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if Plain("- a\n- *b*") != "- a\n- b" || Parse("") != nil {
		t.Error("plain")
	}
}
