package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"sort"
)

// canonicalZip rewrites a ZIP package (an XLSX) with its entries in a fixed
// order — "[Content_Types].xml" first, then by name — without recompressing
// them. excelize writes its parts in map order, which would make two
// workbooks of the same data differ.
func canonicalZip(data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("reorder workbook: %w", err)
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.SliceStable(files, func(i, j int) bool {
		a, b := files[i].Name, files[j].Name
		if (a == "[Content_Types].xml") != (b == "[Content_Types].xml") {
			return a == "[Content_Types].xml"
		}
		return a < b
	})
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range files {
		if err := zw.Copy(f); err != nil {
			return nil, fmt.Errorf("reorder workbook: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("reorder workbook: %w", err)
	}
	return out.Bytes(), nil
}
