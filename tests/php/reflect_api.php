<?php
/**
 * Prints, as JSON, the public API of every class in namespace Aisle: what the
 * stub test compares between php/aisle.stub.php and the loaded extension.
 * Usage: php reflect_api.php [stub-file]   (with a stub file, run without the extension)
 */
declare(strict_types=1);

if (isset($argv[1])) {
    if (extension_loaded('aisle')) {
        fwrite(STDERR, "reflect_api: run the stub side without the extension\n");
        exit(2);
    }
    require $argv[1];
}

function type_name(?ReflectionType $t): ?string
{
    if ($t === null) {
        return null;
    }
    $name = (string) $t;
    // `?Foo` and `Foo|null` are the same type.
    if ($t->allowsNull() && !str_starts_with($name, '?') && $name !== 'mixed' && $name !== 'null' && !str_contains($name, '|')) {
        $name = '?' . $name;
    }
    return ltrim(str_replace('\\Aisle\\', 'Aisle\\', $name), '\\');
}

$api = [];
foreach (get_declared_classes() as $class) {
    if (!str_starts_with($class, 'Aisle\\')) {
        continue;
    }
    $rc = new ReflectionClass($class);
    $entry = [
        'final' => $rc->isFinal(),
        'parent' => $rc->getParentClass() ? $rc->getParentClass()->getName() : null,
        'methods' => [],
    ];
    foreach ($rc->getMethods(ReflectionMethod::IS_PUBLIC) as $m) {
        if ($m->getDeclaringClass()->getName() !== $class) {
            continue;
        }
        $params = [];
        foreach ($m->getParameters() as $p) {
            $params[] = [
                'name' => $p->getName(),
                'type' => type_name($p->getType()),
                'optional' => $p->isOptional(),
            ];
        }
        $entry['methods'][$m->getName()] = [
            'static' => $m->isStatic(),
            'params' => $params,
            'return' => type_name($m->getReturnType()),
        ];
    }
    ksort($entry['methods']);
    $api[$class] = $entry;
}
ksort($api);
echo json_encode($api, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
