package dev.sigstream.testing.registry;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Selects the auth mode of an injected {@link TestRegistry} parameter (default {@link RegistryAuth#NONE}). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface WithRegistryAuth {
  RegistryAuth value();
}
