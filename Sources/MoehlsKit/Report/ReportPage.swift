/// `report/index.html`: a self-contained page (no network, no scripts) with SVG charts of the
/// estimate: resource use against the device, latency by kernel and by layer, and the Pareto
/// front. Written as well-formed XHTML so a test can parse it as XML.
public struct ReportPage: Sendable {
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        /// Drawn as a marker line (e.g. the device budget or a cap); nil for none.
        public var limit: Double?
        public var note: String

        public init(label: String, value: Double, limit: Double? = nil, note: String) {
            self.label = label
            self.value = value
            self.limit = limit
            self.note = note
        }
    }

    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        public var label: String
        public var highlighted: Bool

        public init(x: Double, y: Double, label: String, highlighted: Bool) {
            self.x = x
            self.y = y
            self.label = label
            self.highlighted = highlighted
        }
    }

    public struct Section: Sendable {
        public enum Chart: Sendable {
            /// Horizontal bars; values are shares of `scale` (bars longer than scale are clipped).
            case bars([Bar], scale: Double)
            case scatter([Point], xLabel: String, yLabel: String)
            /// A table of rows (first row is the header).
            case table([[String]])
        }
        public var title: String
        public var text: String
        public var chart: Chart

        public init(title: String, text: String, chart: Chart) {
            self.title = title
            self.text = text
            self.chart = chart
        }
    }

    public var title: String
    public var summary: [String]
    public var sections: [Section]

    public init(title: String, summary: [String], sections: [Section]) {
        self.title = title
        self.summary = summary
        self.sections = sections
    }

    public func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8" />
            <title>\(escape(title))</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; max-width: 60em; }
            table { border-collapse: collapse; }
            td, th { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: right; }
            td:first-child, th:first-child { text-align: left; }
            svg text { font-size: 12px; font-family: sans-serif; }
            </style>
            </head>
            <body>
            <h1>\(escape(title))</h1>

            """
        html += "<ul>\n" + summary.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n"
        for section in sections {
            html += "<h2>\(escape(section.title))</h2>\n<p>\(escape(section.text))</p>\n"
            switch section.chart {
            case let .bars(bars, scale): html += barChart(bars, scale: scale)
            case let .scatter(points, x, y): html += scatter(points, xLabel: x, yLabel: y)
            case let .table(rows): html += table(rows)
            }
        }
        return html + "</body>\n</html>\n"
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    func number(_ v: Double) -> String { Format.fixed(v, 1).replacingOccurrences(of: ",", with: "") }

    func barChart(_ bars: [Bar], scale: Double) -> String {
        let width = 640.0, labelWidth = 150.0, rowHeight = 22.0
        let plot = width - labelWidth - 170
        let height = rowHeight * Double(bars.count) + 10
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(width))\" height=\"\(number(height))\" role=\"img\">\n"
        for (i, bar) in bars.enumerated() {
            let y = 5 + Double(i) * rowHeight
            let share = scale > 0 ? min(max(bar.value / scale, 0), 1) : 0
            svg += "<text x=\"0\" y=\"\(number(y + 14))\">\(escape(bar.label))</text>\n"
            svg += "<rect x=\"\(number(labelWidth))\" y=\"\(number(y + 3))\" width=\"\(number(plot * share))\" height=\"14\" fill=\"#4a7ab5\" />\n"
            if let limit = bar.limit, scale > 0 {
                let x = labelWidth + plot * min(max(limit / scale, 0), 1)
                svg += "<line x1=\"\(number(x))\" y1=\"\(number(y))\" x2=\"\(number(x))\" y2=\"\(number(y + rowHeight))\" stroke=\"#c33\" stroke-width=\"2\" />\n"
            }
            svg += "<text x=\"\(number(labelWidth + plot + 8))\" y=\"\(number(y + 14))\">\(escape(bar.note))</text>\n"
        }
        return svg + "</svg>\n"
    }

    func scatter(_ points: [Point], xLabel: String, yLabel: String) -> String {
        let width = 640.0, height = 320.0, left = 70.0, bottom = 40.0, top = 10.0, right = 20.0
        let xs = points.map(\.x), ys = points.map(\.y)
        let xMin = 0.0, xMax = max(xs.max() ?? 1, 1e-9) * 1.05
        let yMin = 0.0, yMax = max(ys.max() ?? 1, 1e-9) * 1.05
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * (width - left - right) }
        func py(_ y: Double) -> Double { height - bottom - (y - yMin) / (yMax - yMin) * (height - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(number(width))\" height=\"\(number(height))\" role=\"img\">\n"
        svg += "<line x1=\"\(number(left))\" y1=\"\(number(height - bottom))\" x2=\"\(number(width - right))\" y2=\"\(number(height - bottom))\" stroke=\"#333\" />\n"
        svg += "<line x1=\"\(number(left))\" y1=\"\(number(top))\" x2=\"\(number(left))\" y2=\"\(number(height - bottom))\" stroke=\"#333\" />\n"
        svg += "<text x=\"\(number((width + left) / 2))\" y=\"\(number(height - 8))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        svg += "<text x=\"14\" y=\"\(number(height / 2))\" transform=\"rotate(-90 14 \(number(height / 2)))\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        for tick in 0...4 {
            let xv = xMax * Double(tick) / 4, yv = yMax * Double(tick) / 4
            svg += "<text x=\"\(number(px(xv)))\" y=\"\(number(height - bottom + 16))\" text-anchor=\"middle\">\(escape(Format.scaled(xv, decimals: 1)))</text>\n"
            svg += "<text x=\"\(number(left - 6))\" y=\"\(number(py(yv) + 4))\" text-anchor=\"end\">\(escape(Format.fixed(yv, 2)))</text>\n"
        }
        for p in points {
            svg += "<circle cx=\"\(number(px(p.x)))\" cy=\"\(number(py(p.y)))\" r=\"\(p.highlighted ? 6 : 4)\" fill=\"\(p.highlighted ? "#c33" : "#4a7ab5")\"><title>\(escape(p.label))</title></circle>\n"
        }
        return svg + "</svg>\n"
    }

    func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var html = "<table>\n<tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
        for row in rows.dropFirst() { html += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
        return html + "</table>\n"
    }
}
