<?php
declare(strict_types=1);

/** The widget's weight, and that a storefront page view costs no database query because of Aisle. */
final class WidgetTest extends WpTestCase
{
    public function testWidgetJsAndCssAreAtMost8KbGzipped(): void
    {
        $dir = dirname(__DIR__, 2) . '/plugin/aisle/assets/';
        $bytes = strlen(gzencode(file_get_contents($dir . 'widget.js'), 9)) + strlen(gzencode(file_get_contents($dir . 'widget.css'), 9));
        fprintf(STDERR, "widget.js + widget.css gzipped: %d bytes\n", $bytes);
        $this->assertLessThanOrEqual(8192, $bytes);
    }

    private function pageQueries(bool $paused): array
    {
        self::$h->wp('$s = get_option("aisle_settings", array()); $s["assistant_paused"] = ' . ($paused ? 'true' : 'false') . '; update_option("aisle_settings", $s); return true;');
        $this->http('GET', '/'); // warm-up (rewrite rules, transients)
        $page = $this->http('GET', '/')['body'];
        $this->assertSame(1, preg_match('/<!-- aisle-queries: (\d+) -->/', $page, $m), 'the mu-plugin printed the query count');
        return [(int) $m[1], $page];
    }

    public function testStorefrontPageAddsNoQueriesAndPauseHidesWidget(): void
    {
        $mu = self::$h->site . '/wp-content/mu-plugins';
        @mkdir($mu, 0777, true);
        file_put_contents("$mu/aisle-count-queries.php", "<?php\nadd_action('wp_footer', static function () { global \$wpdb; echo '<!-- aisle-queries: ' . (int) \$wpdb->num_queries . ' -->'; }, PHP_INT_MAX);\n");
        try {
            [$paused, $pausedPage] = $this->pageQueries(true);
            [$on, $onPage] = $this->pageQueries(false);
            $this->assertStringNotContainsString('aisleConfig', $pausedPage, 'pause hides the widget at once');
            $this->assertStringContainsString('window.aisleConfig=', $onPage);
            $this->assertMatchesRegularExpression('~<script[^>]+defer[^>]+widget\.js~', $onPage);
            $this->assertSame($paused, $on, 'the widget costs no database query');
        } finally {
            unlink("$mu/aisle-count-queries.php");
        }
    }
}
