package doc

import (
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"baocao/reports/strictjson"
)

// UnmarshalJSONFrom reads the words from a JSON string, for JSON v2 (the
// strict decoder, package strictjson); anything but a string or null is
// refused in Vietnamese and English. encoding/json still uses
// UnmarshalJSON.
func (d *Deadline) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case 'n':
		d.Text = ""
		return nil
	case '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return err
		}
		d.Text = s
		return nil
	}
	return strictjson.Invalid("sai kiểu: cần chuỗi ghi thời hạn đúng như kế hoạch (\"Quý II\", \"30/6/2024\") / wrong type: want the deadline as the plan words it, a string (\"Quý II\", \"30/6/2024\")")
}
