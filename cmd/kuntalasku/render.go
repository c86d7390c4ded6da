package main

import (
	"runtime"
	"sync"
)

// renderAll renders docs (PDF and Finvoice) on a bounded pool of workers, one
// per CPU, and calls emit for each document in order once it is rendered, on
// the calling goroutine. At most a window of rendered documents waits in
// memory: emit writes a document's files, and its bytes are dropped after, so
// a run of any size holds a bounded number of PDFs.
func renderAll(docs []*document, emit func(i int, d *document) error) error {
	workers := runtime.GOMAXPROCS(0)
	window := 4 * workers
	for start := 0; start < len(docs); start += window {
		end := min(start+window, len(docs))
		errs := make([]error, end-start)
		var wg sync.WaitGroup
		next := make(chan int)
		for range min(workers, end-start) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					errs[i-start] = docs[i].render()
				}
			}()
		}
		for i := start; i < end; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		for i := start; i < end; i++ {
			if err := errs[i-start]; err != nil {
				return err
			}
			if err := emit(i, docs[i]); err != nil {
				return err
			}
			docs[i].pdf, docs[i].xml = nil, nil
		}
	}
	return nil
}
