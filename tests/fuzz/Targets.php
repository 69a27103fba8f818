<?php
/**
 * One case generator per extension class: every public method, its arguments structured (valid-looking with
 * one thing wrong) or, for any parameter, a random value of any PHP type.
 */
declare(strict_types=1);

namespace Aisle\Fuzz;

use Aisle\Fuzz\Gen as G;

final class Targets
{
    public const CLASSES = ['Vault', 'Redactor', 'AiClient', 'License', 'Catalog', 'ProductFeed', 'CatalogIndex', 'Language',
        'Knowledge', 'KnowledgeIndex', 'Channels.Signature', 'Channels.GraphClient', 'Exception'];

    /** Classes with static methods only: no object to clone or serialize. */
    public const STATIC_ONLY = ['Redactor', 'ProductFeed', 'Language', 'Knowledge', 'Channels.Signature'];

    public const EXCEPTIONS = ['Exception', 'VaultException', 'LicenseException', 'CatalogException', 'AiException',
        'KnowledgeException', 'ChannelException'];

    public static function generate(string $class, int $seed, int $index): array
    {
        G::seedCase($seed, $class, $index);
        $steps = match ($class) {
            'Vault' => self::vault(),
            'Redactor' => self::redactor(),
            'AiClient' => self::aiClient(),
            'License' => self::license(),
            'Catalog' => self::catalog(),
            'ProductFeed' => self::productFeed(),
            'CatalogIndex' => self::catalogIndex(),
            'Language' => self::language(),
            'Knowledge' => self::knowledge(),
            'KnowledgeIndex' => self::knowledgeIndex(),
            'Channels.Signature' => self::signature(),
            'Channels.GraphClient' => self::graphClient(),
            'Exception' => self::exceptionTree($exception = G::pick(self::EXCEPTIONS)),
            default => throw new \InvalidArgumentException("unknown class $class"),
        };
        $case = ['class' => $class, 'steps' => $steps];
        if ($class === 'Exception') {
            $case['class'] = $exception;
        }
        return self::mangleArity($case);
    }

    /** A parameter's value: the structured one, or now and then any PHP value at all. */
    private static function t(callable $valid, float $p = 0.12): mixed
    {
        return G::chance($p) ? G::any() : $valid();
    }

    /** Sometimes an argument too few or too many, or an engine operation on the object. */
    private static function mangleArity(array $case): array
    {
        $last = count($case['steps']) - 1;
        if (G::chance(0.03) && $case['steps'][$last][1] !== []) {
            array_pop($case['steps'][$last][1]);
        } elseif (G::chance(0.03)) {
            $case['steps'][$last][1][] = G::any();
        }
        if (G::chance(0.02) && !in_array($case['class'], self::STATIC_ONLY, true)) {
            $case['steps'][] = [G::pick(['@clone', '@serialize', '@unserialize', '@json', '@export', '@cast', '@reflect', '@compare', '@prop']), [G::word()]];
        }
        return $case;
    }

    private static function key32(): mixed
    {
        return G::pick([['$x' => 'key32'], ['$rep' => 'k', 'n' => G::pick([0, 16, 31, 33, 64])], G::str(G::bytes(32)), G::hostileString()]);
    }

    private static function keyId(): mixed
    {
        return G::pick(['k1', 'k2', 'wp', '', 'a:b', "k\0", 'é', str_repeat('k', G::pick([64, 65, 300])), ' k', 'k-1_.', G::hostileString()]);
    }

    private static function envelope(): mixed
    {
        return G::chance(0.5) ? G::damaged('envelope', 90) : G::pick([['$x' => 'envelope'], ['$x' => 'envelope:empty'], G::hostileString()]);
    }

    private static function vault(): array
    {
        $ctx = fn () => self::t(fn () => G::pick(['ctx', '', 'other', "ctx\0", G::hostileString()]));
        switch (G::int(0, 11)) {
            case 0: return [['::generateKey', []]];
            case 1: return [['::fromKey', [self::t(fn () => self::key32()), self::t(fn () => self::keyId())]]];
            case 2: return [['::fromSecret', [self::t(fn () => G::pick(['a-secret-of-16-bytes', 'short', '', G::hostileString()])), self::t(fn () => self::keyId())]]];
            case 3: return [['::fromKeyFile', [self::t(fn () => G::path(['path:keyfile', 'path:keyfile644', 'path:keyfile-bad']))]]];
            case 4: return [['::fromEnvironment', []]];
            case 5: return [['->withKey', [self::t(fn () => self::key32()), self::t(fn () => self::keyId())]], ['->keyIds', []]];
            case 6: return [['->encrypt', [self::t(fn () => G::hostileString()), $ctx()]]];
            case 7: return [['->decrypt', [self::t(fn () => self::envelope()), $ctx()]]];
            case 8: return [['->needsRotation', [self::t(fn () => self::envelope())]]];
            case 9: return [['::fromKey', [G::pick([['$x' => 'key32'], G::str(str_repeat('q', 32))]), self::t(fn () => self::keyId())]],
                ['->rotate', [self::t(fn () => self::envelope()), $ctx()]]];
            case 10: return [['->rotate', [self::t(fn () => self::envelope()), $ctx()]]];
            default: return [['->keyId', []], ['->keyIds', []]];
        }
    }

    private static function redactor(): array
    {
        $text = G::chance(0.3)
            ? ['$cat' => [G::hostileString(), G::pick(['+1 (555) 010-9999', 'jo@example.com', '4111 1111 1111 1111', '٠٥٥٥١٢٣٤٥٦٧', 'a@b', '4111-1111-1111-1112', '@@@', '+' . str_repeat('9', 40)]), G::hostileString()]]
            : G::hostileString();
        $args = [self::t(fn () => $text)];
        if (G::chance(0.7)) {
            $args[] = self::t(fn () => G::stringList(['phone', 'email', 'card', 'ssn', '', 'PHONE']));
        }
        return [['::redact', $args]];
    }

    private static function aiOptions(float $wrong = 0.75): mixed
    {
        $url = fn () => G::pick([['$x' => 'url:closed'], ['$x' => 'url:closed'], ['$x' => 'url:closed'], ['$x' => 'url:fake-ai'],
            'https://127.0.0.1:1', 'ftp://x', 'http://', '', 'not a url', 'http://[::1', G::hostileString()]);
        return G::options(
            ['provider' => fn () => G::pick(['openai', 'anthropic']), 'model' => fn () => G::pick(['fake-echo', 'fake-tools', 'fake-garbage', 'fake-500', 'fake-429', 'fake-xss', 'gpt'])],
            ['base_url' => $url, 'connect_timeout_ms' => fn () => G::pick([1, 50, 0, -1, PHP_INT_MAX]), 'timeout_ms' => fn () => G::pick([1, 200, 0, -5, PHP_INT_MAX]),
                'max_tokens' => fn () => G::pick([1, 64, 0, -1, PHP_INT_MAX]), 'temperature' => fn () => G::pick([0.2, 0, 2, G::float(), '0.5']),
                'anthropic_version' => fn () => G::pick(['2023-06-01', '', G::hostileString()])],
            0.0,
            $wrong
        );
    }

    private static function messages(): mixed
    {
        $msgs = [];
        $n = G::chance(0.05) ? 0 : G::int(1, 4);
        for ($i = 0; $i < $n; $i++) {
            $m = ['role' => G::chance(0.9) ? G::pick(['system', 'user', 'assistant', 'user']) : G::pick(['tool', 'admin', '']), 'content' => G::chance(0.8) ? G::pick(['hi', 'product 7', 'do you have a hoodie?']) : G::hostileString()];
            if (G::chance(0.1)) {
                $m['tool_calls'] = G::arr([G::arr(['id' => 'c1', 'name' => 'get_product', 'arguments' => G::chance(0.7) ? G::arr(['id' => 7]) : G::any(1)])]);
            }
            if (G::chance(0.1)) {
                $m['tool_call_id'] = G::pick(['c1', '', G::hostileString()]);
            }
            if (G::chance(0.08)) {
                $k = G::pick(array_keys($m));
                $m[$k] = G::any(1);
            }
            $msgs[] = G::chance(0.97) ? G::arr($m) : G::any(1);
        }
        return G::arr($msgs);
    }

    private static function aiClient(): array
    {
        if (G::chance(0.3)) {
            return [['new', [self::t(fn () => self::aiOptions(), 0.05)]], ['->provider', []], ['->model', []]];
        }
        // Mostly a call that reaches the provider (the fake, or a closed port): one thing wrong at most.
        $steps = G::chance(0.7) ? [['new', [G::chance(0.8) ? G::arr(['provider' => G::pick(['openai', 'anthropic']),
            'model' => G::pick(['fake-echo', 'fake-tools', 'fake-garbage', 'fake-500', 'fake-429', 'fake-xss', 'fake-knowledge', 'fake-401']),
            'base_url' => G::pick([['$x' => 'url:fake-ai'], ['$x' => 'url:fake-ai'], ['$x' => 'url:closed']]), 'connect_timeout_ms' => 100, 'timeout_ms' => 1000])
            : self::aiOptions(0.15)]]] : [];
        $tools = G::chance(0.5) ? null : G::arr([G::arr(['name' => G::chance(0.8) ? G::pick(['get_product', 'search_products', 'search_knowledge']) : G::pick(['', 'a b', G::hostileString()]),
            'description' => 'Look up', 'parameters' => G::chance(0.7) ? G::arr(['type' => 'object']) : G::any(1)])]);
        $args = [
            self::t(fn () => G::pick([['$x' => 'vault'], ['$x' => 'vault'], ['$x' => 'vault2']]), 0.03),
            self::t(fn () => G::chance(0.7) ? ['$x' => 'envelope'] : self::envelope(), 0.03),
            self::t(fn () => G::pick(['ctx', 'ctx', 'ctx', 'wrong']), 0.03),
            self::t(fn () => self::messages(), 0.03),
            self::t(fn () => $tools, 0.03),
        ];
        if (G::chance(0.3)) {
            $args[] = self::t(fn () => G::pick([['$o' => 'closure'], ['$o' => 'closure-throw'], ['$o' => 'closure-reenter'], ['$o' => 'closure-typed'], null, 'strlen', 'no_such_function']));
        }
        $steps[] = ['->chat', $args];
        return $steps;
    }

    private static function site(): mixed
    {
        return G::pick(['https://example.com/shop', 'example.com', 'https://www.example.com', 'http://localhost:8080', 'https://shop.test',
            'https://evil.com', 'https://example.com.evil.com', 'http://[::1]/', 'https://EXAMPLE.COM.', 'https://xn--e1afmkfd.xn--p1ai',
            'https://例え.jp', '', '://', 'http://user:pass@example.com', G::hostileString()]);
    }

    private static function licenseKey(): mixed
    {
        return G::pick(['AISLE-ABCD-EFGH-JKLM-NPQR-STUV', 'aisle abcd efgh jklm npqr stuv', 'AISLE-ABCD', 'AISLE-0000-0000-0000-0000-0000',
            'AISLE-ABCD-EFGH-JKLM-NPQR-STUV-WXYZ', '', G::hostileString()]);
    }

    private static function license(): array
    {
        $token = fn () => G::chance(0.5) ? G::damaged(G::pick(['token', 'token:wildcard']), 200)
            : G::pick([['$x' => 'token'], ['$x' => 'token:wildcard'], G::hostileString(), ['$cat' => ['eyJ2IjoxfQ.', G::hostileString()]]]);
        $pub = fn () => G::pick([null, ['$x' => 'pubkey'], ['$x' => 'pubkey'], base64_encode(str_repeat("\0", 32)), base64_encode('short'), '', G::hostileString()]);
        $now = fn () => G::pick([null, 1750000000, 0, -1, PHP_INT_MAX, PHP_INT_MIN, 1800000000 + 86400 * 8]);
        $server = fn () => G::pick([['$x' => 'url:closed'], 'http://', 'ftp://example.com', 'https://127.0.0.1:1', '', G::hostileString()]);
        $timeout = fn () => G::pick([1, 50, 0, -1, 120000, 120001, PHP_INT_MAX, PHP_INT_MIN]);
        switch (G::int(0, 7)) {
            case 0:
            case 1:
                return [['::verify', [self::t($token), self::t(fn () => self::site()), self::t($pub), self::t($now)]]];
            case 2: return [['::activate', [self::t($server), self::t(fn () => self::licenseKey()), self::t(fn () => self::site()), self::t($timeout), self::t($pub)]]];
            case 3: return [['::deactivate', [self::t($server), self::t(fn () => self::licenseKey()), self::t(fn () => self::site()), self::t($timeout)]]];
            case 4: return [['::normalizeKey', [self::t(fn () => self::licenseKey())]]];
            case 5: return [['::vendorPublicKey', []]];
            default:
                $steps = [['::verify', [G::pick([['$x' => 'token'], ['$x' => 'token:wildcard']]), G::pick(['https://example.com', 'http://localhost', 'https://a.example.com']), ['$x' => 'pubkey'], $now()]]];
                foreach (['status', 'licenseId', 'plan', 'site', 'host', 'features', 'issuedAt', 'expiresAt', 'graceDays', 'graceEndsAt', 'isDevelopment'] as $m) {
                    $steps[] = ["->$m", []];
                }
                $steps[] = ['->has', [self::t(fn () => G::pick(['ai', 'leads', 'f', '', G::hostileString()]))]];
                return $steps;
        }
    }

    private static function catalogOptions(): mixed
    {
        return G::options([], ['max_description_chars' => fn () => G::pick([0, 1, 2000, -1, PHP_INT_MAX]), 'currency' => fn () => G::pick(['EUR', 'usd', 'EURO', '']),
            'price_decimals' => fn () => G::pick([0, 2, 6, 7, -1]), 'threads' => fn () => G::pick([0, 1, 2, 4, 64, 65, -1])], 0.2);
    }

    private static function indexOptions(): mixed
    {
        return G::options([], ['language' => fn () => G::pick(['en', 'fr_FR', 'ar', 'pt-BR', 'xx', '', 'zh']),
            'synonyms' => fn () => G::pick([G::arr([G::arr(['hoodie', 'kangaroo jumper']), 'vinyl, record, LP']), G::arr(['a,b']), G::arr([G::arr([])]),
                G::arr(array_fill(0, 1001, 'a,b')), G::arr([G::arr(array_fill(0, 21, 'x'))]), G::arr([str_repeat('a', 201) . ',b']), G::any(1)])], 0.3);
    }

    private static function feedOptions(): mixed
    {
        return G::options(
            ['seller_name' => fn () => G::pick(['Fuzz Store', '', G::hostileString()]), 'store_country' => fn () => G::pick(['US', 'FR', 'us', 'USA', '']),
                'target_countries' => fn () => G::stringList(['US', 'FR', 'DE', 'xx'])],
            ['seller_url' => fn () => G::pick(['https://shop.test', 'not a url', '']), 'return_policy' => fn () => G::pick(['https://shop.test/r', '']),
                'brand' => fn () => G::word(), 'brand_attribute' => fn () => G::pick(['Brand', 'Color', '']),
                'exclude_ids' => fn () => G::pick([G::arr([1, 2]), G::arr([-1, 'x']), G::arr([PHP_INT_MAX])]),
                'extra' => fn () => G::pick([G::arr([1 => G::arr(['gtin' => '0123456789012', 'mpn' => 'M', 'brand' => 'B'])]), G::arr([1 => G::arr(['gtin' => G::hostileString()])]), G::arr(['x' => 1])]),
                'utm_source' => fn () => G::pick(['chatgpt', '', G::hostileString()]),
                'files' => fn () => G::pick([G::arr(['ucp']), G::arr(['openai', 'acp']), G::arr([]), G::stringList(['openai', 'acp', 'ucp', 'xml']), G::arr([1, null]), 'ucp', G::any(1)])],
            0.02
        );
    }

    private static function catalog(): array
    {
        $steps = [];
        if (G::chance(0.5)) {
            $steps[] = ['new', [self::t(fn () => self::catalogOptions(), 0.05)]];
        }
        if (G::chance(0.03)) { // 128 products or more: addMany splits them over threads
            $rows = [];
            for ($i = 0; $i < G::int(128, 300); $i++) {
                $rows[] = [$i, G::chance(0.95) ? G::product(G::int(1, 400)) : G::any(1)];
            }
            $steps = [['new', [G::arr(['threads' => G::pick([0, 2, 4, 64])])]]];
            $steps[] = ['->addMany', [['$a' => $rows]]];
        } else {
            $steps[] = ['->addMany', [self::t(fn () => G::products(), 0.08)]];
        }
        switch (G::int(0, 19)) {
            case 0: case 1: case 2: $steps[] = ['->errors', []]; $steps[] = ['->stats', []]; break;
            case 3: case 4: $steps[] = ['->hashes', []]; $steps[] = ['->count', []]; break;
            case 5: case 6:
                $steps[] = ['->diff', [self::t(fn () => G::pick([G::arr([1 => str_repeat('0', 32), 99 => 'x']), G::arr(['a' => 'b', -1 => 5]), G::randomArray(1)]))]];
                break;
            case 7: case 8: case 9: $steps[] = ['->toNdjson', []]; break;
            case 10: case 11: $steps[] = ['->batches', [self::t(fn () => G::int64())]]; $steps[] = ['->errors', []]; break;
            case 12: $steps[] = ['->writeIndex', [self::t(fn () => G::writePath()), self::t(fn () => self::indexOptions())]]; break;
            case 13: $steps[] = ['->writeProductFeed', [self::t(fn () => G::writePath()), self::t(fn () => self::feedOptions())]]; break;
            case 14: case 15:
                $steps[] = ['->addSnapshot', [self::t(fn () => G::path(['path:snapshot', 'path:snapshot', 'path:snapshot-bad']))]];
                $steps[] = ['->errors', []];
                $steps[] = ['->hashes', []];
                break;
            default: $steps[] = ['->addMany', [G::products(3)]]; $steps[] = ['->toNdjson', []];
        }
        return $steps;
    }

    private static function ids(): mixed
    {
        return G::pick([G::arr([1, 2, 3]), G::arr([]), G::arr([0, -1, PHP_INT_MAX, PHP_INT_MIN]), G::arr(range(1, 1001)), G::arr(['1', 'x', 1.5]), G::randomArray(1), G::arr(array_fill(0, 50, 2))]);
    }

    private static function productFeed(): array
    {
        if (G::chance(0.3)) {
            return [['::writeFromSnapshot', [self::t(fn () => G::path(['path:snapshot', 'path:snapshot', 'path:snapshot-bad'])), self::t(fn () => G::writePath()), self::t(fn () => self::feedOptions()), self::t(fn () => self::catalogOptions(), 0.3)]]];
        }
        return [['::lookup', [self::t(fn () => G::path(['path:feed', 'path:feed', 'path:feed-corrupt', 'path:catindex'])), self::t(fn () => self::ids())]]];
    }

    private static function searchFilters(): mixed
    {
        return G::options([], ['in_stock' => fn () => G::pick([true, false, 1, 'yes']), 'price_min' => fn () => G::pick([0, 10, '10.50', -1, G::float(), 'abc']),
            'price_max' => fn () => G::pick([100, '12', 1e300, G::float(), '']), 'category' => fn () => G::pick(['Hoodies', '', G::hostileString()]),
            'category_boost' => fn () => G::pick(['Music', G::arr(['Music', 'Hoodies']), G::arr([1, null]), G::hostileString()])], 0.4);
    }

    private static function query(): mixed
    {
        return G::chance(0.5) ? G::pick(['hoodie', 'blue hoodie under 20', 'chemise', 'cap', 'record*', 'name:x', '"unclosed', 'a AND OR NOT', '+-~^', '(((', '\\']) : G::hostileString();
    }

    private static function limit(): mixed
    {
        return G::pick([5, 1, 0, -1, 100, 10000, PHP_INT_MAX, PHP_INT_MIN]);
    }

    private static function catalogIndex(): array
    {
        if (G::chance(0.15)) {
            return [['::open', [self::t(fn () => G::path(['path:catindex', 'path:index-corrupt', 'path:kindex', 'path:feed']))]], ['->count', []]];
        }
        $steps = G::chance(0.3) ? [['::open', [['$x' => 'path:catindex']]]] : [];
        $steps[] = ['->search', [self::t(fn () => self::query()), self::t(fn () => self::limit()), self::t(fn () => self::searchFilters())]];
        if (G::chance(0.2)) {
            $steps[] = ['->' . G::pick(['count', 'generation', 'language']), []];
        }
        return $steps;
    }

    private static function langs(): mixed
    {
        return G::pick([null, G::stringList(['en', 'fr', 'ar', 'zh', 'ja', 'xx', 'EN', '']), G::arr([]), G::arr(array_fill(0, 500, 'en'))]);
    }

    private static function language(): array
    {
        $text = fn () => G::chance(0.5) ? G::pick(['bonjour je cherche une chemise', 'هل لديكم قميص', 'ok', '42', 'где мой заказ', '٣٤٥ ۱۲', 'こんにちは']) : G::hostileString();
        switch (G::int(0, 3)) {
            case 0: return [['::detect', [self::t($text), self::t(fn () => self::langs())]]];
            case 1: return [['::detectWithConfidence', [self::t($text), self::t(fn () => self::langs())]]];
            case 2: return [['::normalizeDigits', [self::t($text)]]];
            default: return [['::supported', []]];
        }
    }

    private static function knowledgeOptions(): mixed
    {
        return G::options([], ['max_bytes' => fn () => G::pick([1, 100, 0, -1, PHP_INT_MAX]), 'timeout_ms' => fn () => G::pick([1, 50, 2000, 0, -1, PHP_INT_MAX]),
            'max_pdf_objects' => fn () => G::pick([1, 10, 0, -1]), 'max_pages' => fn () => G::pick([1, 0, -1]), 'max_inflated_bytes' => fn () => G::pick([1, 1000, 0, -1]),
            'max_xml_depth' => fn () => G::pick([1, 2, 0, -1]), 'max_text_bytes' => fn () => G::pick([1, 10, 0, -1])], 0.4);
    }

    private static function documentBytes(): mixed
    {
        return G::pick([
            ['$x' => 'bytes:pdf'], ['$x' => 'bytes:docx'], ['$x' => 'bytes:encrypted-pdf'],
            G::damaged('bytes:pdf', 2000), G::damaged('bytes:docx', 2000), G::damaged('bytes:pdf', 2000), G::damaged('bytes:docx', 2000),
            "# Title\n\nSome *text*.\n\n- a\n- b\n", '<html><head><title>T</title></head><body><h1>H</h1><p>x</p><script>x</script></body></html>',
            ['$rep' => '<div>', 'n' => G::pick([300, 5000])], ['$rep' => "> ", 'n' => 3000], ['$rep' => '- ', 'n' => 5000],
            G::hostileString(), G::str(G::bytes(G::int(0, 300))),
        ]);
    }

    private static function blocks(): mixed
    {
        if (G::chance(0.4)) {
            return ['$x' => 'blocks'];
        }
        $b = [];
        $n = G::int(0, 5);
        for ($i = 0; $i < $n; $i++) {
            $blk = ['type' => G::pick(['heading', 'paragraph', 'list_item', 'table', '', 'h1']), 'level' => G::pick([1, 2, 0, -1, 99, PHP_INT_MAX]), 'text' => G::chance(0.7) ? 'A sentence. Another one.' : G::hostileString()];
            if (G::chance(0.3)) {
                $k = G::pick(array_keys($blk));
                G::chance(0.5) ? $blk[$k] = G::any(1) : $blk = array_diff_key($blk, [$k => 1]);
            }
            $b[] = G::chance(0.9) ? G::arr($blk) : G::any(1);
        }
        return G::arr($b);
    }

    private static function source(): mixed
    {
        return G::options(['id' => fn () => G::pick(['doc', 'faq', '', G::hostileString()])], ['title' => fn () => G::pick(['Doc', '', G::hostileString()]),
            'url' => fn () => G::pick([null, 'https://shop.test/x', 'javascript:alert(1)', ''])], 0.0);
    }

    private static function chunkOptions(): mixed
    {
        return G::options([], ['target_chars' => fn () => G::pick([1, 10, 800, 0, -1, PHP_INT_MAX]), 'max_chars' => fn () => G::pick([1, 5, 1200, 0, -1, PHP_INT_MAX]),
            'overlap_chars' => fn () => G::pick([0, 150, 10000, -1, PHP_INT_MAX])], 0.4);
    }

    private static function knowledge(): array
    {
        $name = fn () => G::pick([null, 'a.pdf', 'a.docx', 'a.md', 'a.html', 'a.txt', 'a.exe', '', '.pdf', G::hostileString()]);
        switch (G::int(0, 4)) {
            case 0:
            case 1: return [['::extract', [self::t(fn () => self::documentBytes()), self::t($name), self::t(fn () => self::knowledgeOptions())]]];
            case 2: return [['::extractFile', [self::t(fn () => G::path(['path:file'])), self::t(fn () => self::knowledgeOptions())]]];
            case 3: return [['::detect', [self::t(fn () => self::documentBytes()), self::t($name)]]];
            default: return [['::chunk', [self::t(fn () => self::blocks()), self::t(fn () => self::source()), self::t(fn () => self::chunkOptions())]]];
        }
    }

    private static function passages(): mixed
    {
        if (G::chance(0.5)) {
            return ['$x' => 'passages'];
        }
        $p = [];
        $n = G::int(0, 3);
        for ($i = 0; $i < $n; $i++) {
            $row = ['source' => 'doc', 'title' => 'Doc', 'url' => null, 'heading' => G::arr(['A']), 'text' => 'Return within 30 days.', 'position' => $i, 'hash' => str_repeat('a', 31) . $i];
            $k = G::pick(array_keys($row));
            $row[$k] = G::chance(0.5) ? G::any(1) : G::hostileString();
            $p[] = G::arr($row);
        }
        return G::arr($p);
    }

    private static function knowledgeIndex(): array
    {
        $src = fn () => G::pick(['doc', 'faq', '', 'missing', G::hostileString()]);
        if (G::chance(0.08)) {
            return [['::open', [self::t(fn () => G::writePath(['path:kindex', 'path:catindex', 'path:index-corrupt'])), self::t(fn () => self::indexOptions())]], ['->count', []], ['->language', []]];
        }
        $steps = [];
        if (G::chance(0.05)) {
            $steps[] = ['::open', [['$x' => 'path:new'], self::indexOptions()]];
        }
        switch (G::int(0, 9)) {
            case 0: $steps[] = ['->replaceSource', [self::t($src), self::t(fn () => self::passages())]]; break;
            case 1: $steps[] = ['->removeSource', [self::t($src)]]; break;
            case 2: $steps[] = ['->hashes', [self::t($src)]]; break;
            case 3: $steps[] = ['->sources', []]; $steps[] = ['->count', []]; break;
            default:
                $steps[] = ['->search', [self::t(fn () => self::query()), self::t(fn () => self::limit()),
                    self::t(fn () => G::options([], ['source' => fn () => G::pick(['faq', G::arr(['faq', 'doc']), G::arr([1]), ''])], 0.5))]];
        }
        return $steps;
    }

    private static function header(): mixed
    {
        return G::pick([['$x' => 'sig'], G::damaged('sig', 71), null, '', 'sha256=', G::hostileString()]);
    }

    private static function signature(): array
    {
        $body = fn () => G::pick([['$x' => 'body'], ['$x' => 'body'], G::damaged('body', 50), G::hostileString()]);
        if (G::chance(0.5)) {
            return [['::verifyPlain', [self::t($body), self::t(fn () => self::header()), self::t(fn () => G::pick(['app-secret', '', 'other', G::hostileString()]))]]];
        }
        return [['::verify', [self::t($body), self::t(fn () => self::header()), self::t(fn () => G::pick([['$x' => 'vault'], ['$x' => 'vault2']])),
            self::t(fn () => G::pick([['$x' => 'secret-envelope'], ['$x' => 'envelope:empty'], G::damaged('secret-envelope', 90), ''])), self::t(fn () => G::pick(['meta', 'ctx', '']))]]];
    }

    private static function graphOptions(): mixed
    {
        return G::options([], ['base_url' => fn () => G::pick([['$x' => 'url:closed'], ['$x' => 'url:closed'], ['$x' => 'url:fake-graph'], 'http://example.com', 'https://graph.facebook.com', 'ftp://x', '', G::hostileString()]),
            'version' => fn () => G::pick(['v24.0', 'v1', '', '../x', 'v24.0/../../', G::hostileString()]),
            'connect_timeout_ms' => fn () => G::pick([1, 50, 0, -1, PHP_INT_MAX]), 'timeout_ms' => fn () => G::pick([1, 200, 0, -1, PHP_INT_MAX])], 0.1);
    }

    private static function graphClient(): array
    {
        if (G::chance(0.3)) {
            return [['new', [self::t(fn () => self::graphOptions(), 0.05)]], ['->baseUrl', []], ['->version', []]];
        }
        $steps = G::chance(0.6) ? [['new', [self::graphOptions()]]] : [];
        $msg = G::options(['channel' => fn () => G::pick(['whatsapp', 'messenger', 'instagram', 'sms', '']), 'to' => fn () => G::pick(['15550001111', 'PSID1', '', '../../x', G::hostileString()]),
            'text' => fn () => G::pick(['hello', ['$rep' => 'a', 'n' => G::pick([1000, 1001, 2000, 2001, 4096, 4097])], ['$rep' => '😀', 'n' => 4097], G::hostileString()])],
            ['sender_id' => fn () => G::pick(['1234', 'me', '', '../x?y#', G::hostileString()])], 0.0);
        $steps[] = ['->send', [self::t(fn () => G::pick([['$x' => 'vault'], ['$x' => 'vault2']])), self::t(fn () => self::envelope()), self::t(fn () => G::pick(['ctx', 'wrong'])), self::t(fn () => $msg)]];
        return $steps;
    }

    private static function exceptionTree(string $class): array
    {
        switch ($class === 'ChannelException' ? G::int(0, 3) : G::pick([0, 1, 3])) {
            case 0: return [['new', array_map(fn () => G::any(), range(0, G::int(0, 3)))]];
            case 1: return [['->reason', []], ['->getMessage', []], ['->getCode', []], ['->getTraceAsString', []], ['->__toString', []], ['->getPrevious', []]];
            case 2: return [['->httpStatus', []], ['->graphCode', []], ['->retryable', []]];
            default: return [[G::pick(['@clone', '@serialize', '@unserialize', '@json', '@export', '@cast', '@reflect', '@prop']), [G::word()]], ['->reason', []]];
        }
    }
}
