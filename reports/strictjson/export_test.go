package strictjson

import (
	"reflect"
	"slices"
)

// FieldNames lists the keys the walk knows in struct type t, sorted.
func FieldNames(t reflect.Type) []string {
	var out []string
	for k := range fieldsOf(t) {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
