package io.tokenbroker.connector;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stores a string-to-string map (connection config, provider metadata) as a JSON object. */
@Converter
public class StringMapConverter implements AttributeConverter<Map<String, String>, String> {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {
	};

	@Override
	public String convertToDatabaseColumn(Map<String, String> attribute) {
		return (attribute == null || attribute.isEmpty()) ? null : JSON.writeValueAsString(attribute);
	}

	@Override
	public Map<String, String> convertToEntityAttribute(String dbData) {
		return (dbData == null || dbData.isBlank()) ? Map.of() : JSON.readValue(dbData, MAP);
	}

}
