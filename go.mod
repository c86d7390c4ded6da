module github.com/kuntalasku/kuntalasku

go 1.25.0

require (
	github.com/BurntSushi/toml v1.6.0 // indirect
	github.com/shopspring/decimal v1.4.0 // indirect
	golang.org/x/text v0.38.0 // indirect
)
